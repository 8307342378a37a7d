package dev.rewind.pitr.messaging;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The fields of backup.completed and backup.deleted that make a PITR baseline (deploy/events/README.md).
 *
 * @param backupTool mydumper or mysqldump; only a mydumper dump can be a baseline (null in events older than the field:
 *                   mydumper, the only tool then)
 */
public record BackupEventPayload(UUID backupId, UUID serverId, String tenant, String s3Path, Long sizeBytes,
        String binlogFile, Long binlogPosition, String gtidSet, OffsetDateTime completedAt, String reason, String backupTool) {

    /** Whether the backup is a dump the PITR engine reads: mydumper's. */
    public boolean usableAsBaseline() {
        return backupTool == null || "mydumper".equals(backupTool);
    }
}
