package dev.rewind.pitr.health;

import dev.rewind.pitr.service.StreamSupervisor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} is DOWN while an owned, onboarded server has not been streaming for longer than the
 * readiness grace ({@code rewind.pitr.stream.readiness-grace}), naming each such server, its state and error: a
 * stream that died never hides behind an UP. Its stream is being restarted meanwhile; the check is UP again once it
 * streams.
 * Onboarding servers (a source still misconfigured) do not count: only a server that streamed before and stopped.
 */
@Readiness
@ApplicationScoped
public class StreamsHealth implements HealthCheck {

    private final StreamSupervisor supervisor;

    public StreamsHealth(StreamSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public HealthCheckResponse call() {
        var unhealthy = supervisor.unhealthy();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("binlog-streams")
                .withData("instance", supervisor.instance())
                .withData("streams", supervisor.streamCount())
                .withData("not_streaming", unhealthy.size());
        for (StreamSupervisor.Unhealthy u : unhealthy) {
            response.withData(u.serverId().toString(), u.name() + ": " + u.state() + " for " + u.seconds() + " s"
                    + (u.error() == null ? "" : " (" + u.error() + ")"));
        }
        if (!unhealthy.isEmpty()) {
            response.withData("servers", unhealthy.stream().map(u -> u.name()).collect(Collectors.joining(",")));
        }
        return response.status(unhealthy.isEmpty()).build();
    }
}
