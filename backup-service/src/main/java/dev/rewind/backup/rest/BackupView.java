package dev.rewind.backup.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rewind.backup.Backup;
import dev.rewind.backup.BackupCheck;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A backup history entry, in the shape of the reference, plus its binlog position (the PITR baseline), retention
 * note, the kind of source it was taken from and its restore verification (with every check on GET /backup/history/{id}).
 */
public record BackupView(UUID id, UUID scheduleId, UUID serverId, String serverName, String backupTool, String status,
        String phase, String s3Path, Long sizeBytes, Long durationMs, String errorMessage,
        OffsetDateTime startedAt, OffsetDateTime completedAt, String binlogFile, Long binlogPosition, String gtidSet,
        String retentionNote, String sourceKind, VerificationView verification) {

    /**
     * {@code status}: passed, failed, skipped, error (the verification server could not be used), or null until the
     * upload has finished; {@code reason} says why it was skipped, could not run, or failed.
     */
    public record VerificationView(String status, String reason, @JsonInclude(JsonInclude.Include.NON_NULL) List<CheckView> checks) {
    }

    /** {@code check}: row_count or schema_match; {@code table}: schema.table. */
    public record CheckView(String check, String table, String status, String expected, String actual) {

        static CheckView of(BackupCheck c) {
            return new CheckView(c.name, c.tableName, c.status, c.expected, c.actual);
        }
    }

    /** As listed: the verification's outcome without its checks. */
    public static BackupView of(Backup b) {
        return of(b, null);
    }

    /** One entry with its checks. */
    public static BackupView of(Backup b, List<BackupCheck> checks) {
        return new BackupView(b.id, b.scheduleId, b.serverId, b.serverName, b.backupTool, b.status, b.phase, b.s3Path,
                b.sizeBytes, b.durationMs, b.errorMessage, b.startedAt, b.completedAt, b.binlogFile, b.binlogPosition,
                b.gtidSet, b.retentionNote, b.sourceKind, new VerificationView(b.verificationStatus, b.verificationNote,
                        checks == null ? null : checks.stream().map(CheckView::of).toList()));
    }
}
