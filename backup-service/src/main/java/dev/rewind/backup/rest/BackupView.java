package dev.rewind.backup.rest;

import dev.rewind.backup.Backup;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A backup history entry, in the shape of the reference, plus its binlog position (the PITR baseline) and retention note. */
public record BackupView(UUID id, UUID scheduleId, UUID serverId, String serverName, String backupTool, String status,
        String phase, String s3Path, Long sizeBytes, Long durationMs, String errorMessage,
        OffsetDateTime startedAt, OffsetDateTime completedAt, String binlogFile, Long binlogPosition, String gtidSet,
        String retentionNote) {

    public static BackupView of(Backup b) {
        return new BackupView(b.id, b.scheduleId, b.serverId, b.serverName, b.backupTool, b.status, b.phase, b.s3Path,
                b.sizeBytes, b.durationMs, b.errorMessage, b.startedAt, b.completedAt, b.binlogFile, b.binlogPosition,
                b.gtidSet, b.retentionNote);
    }
}
