package dev.rewind.backup.service;

import dev.rewind.backup.Backup;
import dev.rewind.backup.Schedule;
import dev.rewind.backup.config.BackupConfig;
import dev.rewind.backup.messaging.BackupEvents;
import dev.rewind.backup.repository.BackupRepository;
import dev.rewind.backup.repository.ScheduleRepository;
import dev.rewind.backup.storage.ArtifactStore;
import dev.rewind.commons.audit.Audit;
import dev.rewind.commons.outbox.Outbox;
import dev.rewind.commons.work.Blocking;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Retention: completed backups older than their retention days, or beyond their schedule's retention count, are
 * expired — S3 objects removed, entry marked expired, backup.deleted (reason expired) and an audit record. Never
 * the newest completed backup of a server (the PITR baseline: the entry says so), nor the newest taken at or before the
 * start of the PITR window ({@code retention.pitr-window-days}: a PITR to any second coverage reports needs a baseline
 * at or before it), and never a running one.
 */
@ApplicationScoped
public class RetentionService {

    static final String BASELINE_NOTE = "Kept past its retention: the newest completed backup of the server is the PITR baseline";
    static final String WINDOW_NOTE = "Kept past its retention: the PITR baseline of the start of the server's PITR window";
    static final int BATCH = 500;

    private final BackupRepository backups;
    private final ScheduleRepository schedules;
    private final ArtifactStore store;
    private final Outbox outbox;
    private final Audit audit;
    private final BackupConfig config;

    public RetentionService(BackupRepository backups, ScheduleRepository schedules, ArtifactStore store, Outbox outbox,
            Audit audit, BackupConfig config) {
        this.backups = backups;
        this.schedules = schedules;
        this.store = store;
        this.outbox = outbox;
        this.audit = audit;
        this.config = config;
    }

    /** One retention round (blocking: call from a worker thread). Answers the ids expired. */
    public List<UUID> prune() {
        List<Backup> candidates = Blocking.await(() -> Panache.withTransaction(this::pickCandidates));
        List<UUID> expired = new ArrayList<>();
        for (Backup backup : candidates) {
            try {
                int removed = backup.s3Path == null ? 0
                        : store.deleteAll(store.ownedPrefix(backup.s3Path, backup.tenant, backup.serverId));
                if (Boolean.TRUE.equals(Blocking.await(() -> Panache.withTransaction(() -> markExpired(backup.id, removed))))) {
                    expired.add(backup.id);
                }
            } catch (RuntimeException e) {
                Log.warnf("retention could not expire backup %s: %s", backup.id, e.getMessage());
            }
        }
        return expired;
    }

    /** Completed backups past their days or their schedule's count, minus each server's newest (noted as kept). */
    private Uni<List<Backup>> pickCandidates() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Map<UUID, Backup> due = new LinkedHashMap<>();
        Uni<Void> byDays = backups.lockExpired(now, config.retention().onDemandDays(), BATCH)
                .invoke(list -> list.forEach(b -> due.put(b.id, b))).replaceWithVoid();
        Uni<Void> byCount = byDays.chain(() -> schedules.withRetentionCount()).chain(counted -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Schedule schedule : counted) {
                chain = chain.call(() -> backups.lockBeyondCount(schedule.id, schedule.retentionCount)
                        .invoke(list -> list.forEach(b -> due.putIfAbsent(b.id, b))));
            }
            return chain;
        });
        return byCount.chain(() -> {
            Map<UUID, List<Backup>> byServer = new HashMap<>();
            due.values().forEach(b -> byServer.computeIfAbsent(b.serverId, k -> new ArrayList<>()).add(b));
            Uni<List<Backup>> kept = Uni.createFrom().item(new ArrayList<>());
            OffsetDateTime windowStart = now.minusDays(config.retention().pitrWindowDays());
            for (Map.Entry<UUID, List<Backup>> server : byServer.entrySet()) {
                kept = kept.call(list -> backups.newestCompleted(server.getKey())
                        .chain(newest -> backups.newestCompletedBefore(server.getKey(), windowStart).invoke(windowBaseline -> {
                            for (Backup b : server.getValue()) {
                                if (newest != null && newest.id.equals(b.id)) {
                                    b.retentionNote = BASELINE_NOTE;
                                } else if (windowBaseline != null && windowBaseline.id.equals(b.id)) {
                                    b.retentionNote = WINDOW_NOTE;
                                } else {
                                    list.add(b);
                                }
                            }
                        })));
            }
            return kept;
        });
    }

    private Uni<Boolean> markExpired(UUID id, int objectsRemoved) {
        return backups.findById(id).chain(backup -> {
            if (backup == null || !("completed".equals(backup.status) || "failed".equals(backup.status))) {
                return Uni.createFrom().item(false); // another instance expired it meanwhile
            }
            backup.status = "expired";
            backup.retentionNote = "Expired by retention on " + OffsetDateTime.now(ZoneOffset.UTC).toLocalDate();
            Map<String, Object> details = new HashMap<>(BackupRequestService.details(backup));
            details.put("objects_removed", objectsRemoved);
            return outbox.publish(BackupEvents.deleted(backup, "expired"))
                    .call(() -> audit.record(backup.tenant, "system:retention", "backup.pruned", "backup",
                            backup.id.toString(), details))
                    .replaceWith(true);
        });
    }
}
