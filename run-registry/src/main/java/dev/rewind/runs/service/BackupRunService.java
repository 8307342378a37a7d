package dev.rewind.runs.service;

import dev.rewind.commons.problem.ProblemException;
import dev.rewind.runs.BackupRun;
import dev.rewind.runs.repository.BackupRunRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The rules of the ledger. */
@ApplicationScoped
public class BackupRunService {

    private final BackupRunRepository runs;

    public BackupRunService(BackupRunRepository runs) {
        this.runs = runs;
    }

    @WithSession
    public Uni<List<BackupRun>> list(String tenant, BackupRunRepository.RunFilter filter) {
        return runs.list(tenant, filter);
    }

    @WithSession
    public Uni<BackupRun> get(String tenant, String runId) {
        return runs.findById(new BackupRun.Key(tenant, runId))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No backup run " + runId));
    }

    /** Removes the run; 404 when the tenant has no such run. */
    @WithTransaction
    public Uni<Void> delete(String tenant, String runId) {
        return runs.deleteById(new BackupRun.Key(tenant, runId))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw ProblemException.notFound("No backup run " + runId);
                    }
                })
                .replaceWithVoid();
    }
}
