package dev.rewind.backup.messaging;

import dev.rewind.backup.service.BackupRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows in {@code /q/health/ready} which partitions of rewind.servers (and so which servers' backups) this instance
 * holds. Always up: an instance holding none still serves the API, and its servers' backups run on the others.
 */
@Readiness
@ApplicationScoped
public class WorkOwnershipHealth implements HealthCheck {

    private final WorkOwnership ownership;
    private final BackupRunner runner;

    public WorkOwnershipHealth(WorkOwnership ownership, BackupRunner runner) {
        this.ownership = ownership;
        this.runner = runner;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("backup-work")
                .withData("instance", runner.instance())
                .withData("partitions", new TreeSet<>(ownership.partitions()).stream().map(String::valueOf).collect(Collectors.joining(",")))
                .withData("partition_count", ownership.partitionCount())
                .withData("running", runner.inFlight().size())
                .up().build();
    }
}
