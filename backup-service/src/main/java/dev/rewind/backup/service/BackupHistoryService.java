package dev.rewind.backup.service;

import dev.rewind.backup.Backup;
import dev.rewind.backup.BackupCheck;
import dev.rewind.backup.messaging.BackupEvents;
import dev.rewind.backup.repository.BackupCheckRepository;
import dev.rewind.backup.repository.BackupRepository;
import dev.rewind.backup.storage.ArtifactStore;
import dev.rewind.commons.audit.Audit;
import dev.rewind.commons.outbox.Outbox;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The backup history of the caller's tenant: reading it, and deleting a backup with its artifacts. */
@ApplicationScoped
public class BackupHistoryService {

    private final BackupRepository backups;
    private final BackupCheckRepository checks;
    private final ArtifactStore store;
    private final Outbox outbox;
    private final Audit audit;
    private final Vertx vertx;

    public BackupHistoryService(BackupRepository backups, BackupCheckRepository checks, ArtifactStore store, Outbox outbox,
            Audit audit, Vertx vertx) {
        this.backups = backups;
        this.checks = checks;
        this.store = store;
        this.outbox = outbox;
        this.audit = audit;
        this.vertx = vertx;
    }

    @WithSession
    public Uni<List<Backup>> history(String tenant, BackupRepository.HistoryFilter filter) {
        return backups.history(tenant, filter);
    }

    /** A backup with its restore verification checks. */
    public record BackupWithChecks(Backup backup, List<BackupCheck> checks) {
    }

    @WithSession
    public Uni<BackupWithChecks> get(String tenant, UUID id) {
        return find(tenant, id).chain(backup -> checks.of(id).map(list -> new BackupWithChecks(backup, list)));
    }

    /**
     * Deletes a finished backup: its S3 objects (only under its own tenant/server folder) first, then the entry is
     * marked deleted with backup.deleted and an audit record. A running backup cannot be deleted (409).
     */
    public Uni<Backup> delete(String tenant, String actor, UUID id) {
        return Panache.withSession(() -> deletable(tenant, id))
                .chain(backup -> vertx.executeBlocking(() -> removeObjects(backup), false))
                .chain(removed -> Panache.withTransaction(() -> markDeleted(tenant, actor, id, removed)));
    }

    private Uni<Backup> deletable(String tenant, UUID id) {
        return find(tenant, id).invoke(backup -> {
            if ("running".equals(backup.status) || backup.active()) {
                throw ProblemException.conflict("Backup " + id + " is still running; delete it once it has finished");
            }
            if ("deleted".equals(backup.status) || "expired".equals(backup.status)) {
                throw ProblemException.conflict("Backup " + id + " is already " + backup.status);
            }
        });
    }

    private int removeObjects(Backup backup) {
        if (backup.s3Path == null) {
            return 0; // a failed backup whose partial objects were already removed
        }
        try {
            return store.deleteAll(store.ownedPrefix(backup.s3Path, backup.tenant, backup.serverId));
        } catch (IllegalStateException e) {
            throw ProblemException.conflict(e.getMessage());
        }
    }

    private Uni<Backup> markDeleted(String tenant, String actor, UUID id, int removed) {
        return find(tenant, id).call(backup -> {
            backup.status = "deleted";
            Map<String, Object> details = new HashMap<>(BackupRequestService.details(backup));
            details.put("objects_removed", removed);
            return outbox.publish(BackupEvents.deleted(backup, "deleted"))
                    .call(() -> audit.record(tenant, actor, "backup.deleted", "backup", id.toString(), details));
        });
    }

    private Uni<Backup> find(String tenant, UUID id) {
        return backups.findForTenant(tenant, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No backup " + id));
    }
}
