package dev.rewind.backup.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.backup.Backup;
import dev.rewind.backup.dumper.BinlogPosition;
import dev.rewind.backup.dumper.DumpResult;
import dev.rewind.backup.dumper.SourceSnapshot;
import dev.rewind.backup.messaging.BackupEvents;
import dev.rewind.backup.repository.BackupCheckRepository;
import dev.rewind.backup.repository.BackupRepository;
import dev.rewind.backup.repository.ScheduleRepository;
import dev.rewind.backup.storage.ArtifactStore;
import dev.rewind.backup.verify.Verification;
import dev.rewind.commons.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The state changes of a running backup, each in its own transaction with its event. */
@ApplicationScoped
public class BackupRunService {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

    private final BackupRepository backups;
    private final BackupCheckRepository checks;
    private final ScheduleRepository schedules;
    private final Outbox outbox;
    private final ArtifactStore store;
    private final ObjectMapper json;

    /** Backups of one tenant running at once ({@code rewind.backup.worker.max-per-tenant}). */
    private final int perTenant;

    public BackupRunService(BackupRepository backups, BackupCheckRepository checks, ScheduleRepository schedules,
            Outbox outbox, ArtifactStore store, ObjectMapper json, dev.rewind.backup.config.BackupConfig config) {
        this.perTenant = config.worker().maxPerTenant();
        this.backups = backups;
        this.checks = checks;
        this.schedules = schedules;
        this.outbox = outbox;
        this.store = store;
        this.json = json;
    }

    /**
     * Takes the oldest queued backup of a server with nothing running, among the servers of {@code partitions}:
     * phase dumping, owned by {@code instance}, its S3 path fixed (so a crash recovery knows where partial objects
     * lie), backup.started published. Null when there is nothing to take.
     */
    @WithTransaction
    public Uni<Backup> claimNext(String instance, Collection<Integer> partitions) {
        return backups.lockNextQueued(partitions, perTenant).chain(backup -> {
            if (backup == null) {
                return Uni.createFrom().nullItem();
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            String path = store.uri(keyPrefix(backup, now, null));
            return backups.pathTaken(path).chain(taken -> {
                backup.s3Path = taken ? store.uri(keyPrefix(backup, now, backup.id.toString().substring(0, 8))) : path;
                backup.phase = "dumping";
                backup.claimedBy = instance;
                backup.heartbeatAt = now;
                backup.dumpStartedAt = now;
                return outbox.publish(BackupEvents.started(backup)).replaceWith(backup);
            });
        });
    }

    /** {@code backups/{tenant}/{server}/[{s3_prefix}/]{yyyy-mm-dd}/{hhmmss}/}. */
    static String keyPrefix(Backup backup, OffsetDateTime at, String suffix) {
        StringBuilder key = new StringBuilder("backups/").append(backup.tenant).append('/').append(backup.serverId).append('/');
        if (backup.s3Prefix != null) {
            key.append(backup.s3Prefix).append('/');
        }
        key.append(DAY.format(at)).append('/').append(TIME.format(at));
        if (suffix != null) {
            key.append('-').append(suffix);
        }
        return key.append('/').toString();
    }

    /*
     * Every update a worker makes to its backup is fenced: it applies only while the backup is still in a running
     * phase and still claimed by that worker's instance. A worker that lost its claim (it stalled past stale-after,
     * and crash recovery failed the backup and removed its files) can neither keep it alive nor complete it.
     */

    /** Of these backups, the ones in a running phase (claimed by any instance). */
    @io.quarkus.hibernate.reactive.panache.common.WithSession
    public Uni<java.util.Set<UUID>> running(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(java.util.Set.of());
        }
        return backups.list("id in ?1 and phase in ?2", List.copyOf(ids), List.copyOf(BackupRepository.ACTIVE))
                .map(list -> list.stream().map(b -> b.id).collect(java.util.stream.Collectors.toSet()));
    }

    /** Whether the backup is still running under {@code instance}'s claim. */
    static boolean heldBy(Backup backup, String instance) {
        return backup != null && instance.equals(backup.claimedBy) && BackupRepository.ACTIVE.contains(backup.phase);
    }

    @WithTransaction
    public Uni<Void> enterPhase(UUID id, String instance, String phase) {
        return backups.findById(id).invoke(backup -> {
            if (heldBy(backup, instance)) {
                backup.phase = phase;
                backup.heartbeatAt = OffsetDateTime.now(ZoneOffset.UTC);
            }
        }).replaceWithVoid();
    }

    @WithTransaction
    public Uni<Integer> heartbeat(Collection<UUID> ids, String instance) {
        return backups.heartbeat(ids, instance, OffsetDateTime.now(ZoneOffset.UTC));
    }

    /**
     * The backup is in S3 with its manifest and its verification is done (or skipped): completed with
     * backup.completed — or, when the restore verification failed, failed with backup.failed (the artifacts stay for
     * inspection; it is never a PITR baseline). The checks are kept either way; the schedule's last_status follows.
     */
    /** Answers the backup as finished; null when this instance no longer held it (it was failed meanwhile). */
    @WithTransaction
    public Uni<Backup> finish(UUID id, String instance, BinlogPosition binlog, List<DumpResult.TableRows> tables, long sizeBytes,
            SourceSnapshot source, Verification verification) {
        return backups.findById(id).chain(backup -> {
            if (!heldBy(backup, instance)) {
                return Uni.createFrom().<Backup>nullItem(); // failed meanwhile by crash recovery: it stays failed
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            backup.sizeBytes = sizeBytes;
            backup.binlogFile = binlog.file();
            backup.binlogPosition = binlog.position();
            backup.gtidSet = binlog.gtidSet();
            backup.tablesJson = toJson(tables);
            backup.sourceKind = source.kind();
            backup.sourceVersion = truncate(source.version(), 100);
            backup.verificationStatus = verification.status();
            backup.verificationNote = verification.note();
            backup.heartbeatAt = now;
            Uni<Void> kept = checks.replace(id, verification.checks());
            if (verification.failed()) {
                return kept.call(() -> markFailed(backup, "Restore verification failed: " + verification.note(), false))
                        .replaceWith(backup);
            }
            backup.status = "completed";
            backup.phase = "complete";
            backup.completedAt = now;
            backup.durationMs = Duration.between(backup.dumpStartedAt, now).toMillis();
            return kept.call(() -> outbox.publish(BackupEvents.completed(backup, tables))).call(() -> scheduleRan(backup))
                    .replaceWith(backup);
        });
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /**
     * The backup failed: its error kept, backup.failed published. {@code pathCleared} says whether the S3 prefix
     * was emptied (then the entry no longer points there).
     */
    @WithTransaction
    public Uni<Backup> fail(UUID id, String instance, String error, boolean pathCleared) {
        return backups.findById(id).call(backup -> heldBy(backup, instance)
                ? markFailed(backup, error, pathCleared)
                : Uni.createFrom().voidItem());
    }

    Uni<Void> markFailed(Backup backup, String error, boolean pathCleared) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        backup.status = "failed";
        backup.phase = "failed";
        backup.errorMessage = error;
        backup.completedAt = now;
        if (backup.dumpStartedAt != null) {
            backup.durationMs = Duration.between(backup.dumpStartedAt, now).toMillis();
        }
        if (pathCleared) {
            backup.s3Path = null;
        }
        return outbox.publish(BackupEvents.failed(backup)).call(() -> scheduleRan(backup));
    }

    /**
     * Backups whose worker stopped beating (the instance crashed or was killed): marked failed with a clear error.
     * Answers them so the caller can remove their partial S3 objects.
     */
    @WithTransaction
    public Uni<List<Backup>> failStale(OffsetDateTime heartbeatBefore) {
        return backups.lockStale(heartbeatBefore).call(stale -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Backup backup : stale) {
                String error = "Interrupted: the backup-service instance running this backup (" + backup.claimedBy
                        + ") stopped during phase " + backup.phase + "; its partial upload was removed";
                chain = chain.call(() -> markFailed(backup, error, false));
            }
            return chain;
        });
    }

    private Uni<Void> scheduleRan(Backup backup) {
        if (backup.scheduleId == null) {
            return Uni.createFrom().voidItem();
        }
        return schedules.findById(backup.scheduleId).invoke(schedule -> {
            if (schedule != null) {
                schedule.lastStatus = backup.status;
            }
        }).replaceWithVoid();
    }

    private String toJson(List<DumpResult.TableRows> tables) {
        try {
            return json.writeValueAsString(tables);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
