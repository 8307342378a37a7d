package dev.rewind.backup.service;

import dev.rewind.backup.Backup;
import dev.rewind.backup.repository.BackupRepository;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Reading the backup history of the caller's tenant. */
@ApplicationScoped
public class BackupHistoryService {

    private final BackupRepository backups;

    public BackupHistoryService(BackupRepository backups) {
        this.backups = backups;
    }

    @WithSession
    public Uni<List<Backup>> history(String tenant, BackupRepository.HistoryFilter filter) {
        return backups.history(tenant, filter);
    }

    @WithSession
    public Uni<Backup> get(String tenant, UUID id) {
        return backups.findForTenant(tenant, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No backup " + id));
    }
}
