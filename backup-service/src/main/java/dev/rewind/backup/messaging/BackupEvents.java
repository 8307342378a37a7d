package dev.rewind.backup.messaging;

import dev.rewind.backup.Backup;
import dev.rewind.backup.dumper.DumpResult;
import dev.rewind.commons.outbox.OutgoingEvent;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The events of rewind.backups (deploy/events/README.md), keyed by server id. Payloads never carry a secret. */
public final class BackupEvents {

    public static final String TOPIC = "rewind.backups";
    public static final String STARTED = "backup.started";
    public static final String COMPLETED = "backup.completed";
    public static final String FAILED = "backup.failed";
    public static final String DELETED = "backup.deleted";

    public record BackupStarted(UUID backupId, UUID serverId, String tenant, String serverName, UUID scheduleId,
            String backupTool, OffsetDateTime startedAt) {
    }

    public record BackupCompleted(UUID backupId, UUID serverId, String tenant, String serverName, UUID scheduleId,
            String backupTool, OffsetDateTime startedAt, String s3Path, Long sizeBytes, Long durationMs,
            String binlogFile, Long binlogPosition, String gtidSet, List<DumpResult.TableRows> tables,
            OffsetDateTime completedAt) {
    }

    public record BackupFailed(UUID backupId, UUID serverId, String tenant, String serverName, UUID scheduleId,
            String backupTool, String errorMessage, OffsetDateTime startedAt, OffsetDateTime completedAt) {
    }

    public record BackupDeleted(UUID backupId, UUID serverId, String tenant, String s3Path, String reason) {
    }

    private BackupEvents() {
    }

    public static OutgoingEvent started(Backup b) {
        return event(b, STARTED, new BackupStarted(b.id, b.serverId, b.tenant, b.serverName, b.scheduleId, b.backupTool,
                b.startedAt));
    }

    public static OutgoingEvent completed(Backup b, List<DumpResult.TableRows> tables) {
        return event(b, COMPLETED, new BackupCompleted(b.id, b.serverId, b.tenant, b.serverName, b.scheduleId,
                b.backupTool, b.startedAt, b.s3Path, b.sizeBytes, b.durationMs, b.binlogFile, b.binlogPosition, b.gtidSet,
                tables, b.completedAt));
    }

    public static OutgoingEvent failed(Backup b) {
        return event(b, FAILED, new BackupFailed(b.id, b.serverId, b.tenant, b.serverName, b.scheduleId, b.backupTool,
                b.errorMessage, b.startedAt, b.completedAt));
    }

    /** @param reason {@code deleted} (by a user) or {@code expired} (by retention) */
    public static OutgoingEvent deleted(Backup b, String reason) {
        return event(b, DELETED, new BackupDeleted(b.id, b.serverId, b.tenant, b.s3Path, reason));
    }

    private static OutgoingEvent event(Backup b, String type, Object payload) {
        return new OutgoingEvent(TOPIC, b.serverId.toString(), type, b.id.toString(), b.tenant, payload);
    }
}
