package dev.rewind.pitr.messaging;

import java.time.OffsetDateTime;
import java.util.UUID;

/** The fields of backup.completed and backup.deleted that make a PITR baseline (deploy/events/README.md). */
public record BackupEventPayload(UUID backupId, UUID serverId, String tenant, String s3Path, Long sizeBytes,
        String binlogFile, Long binlogPosition, String gtidSet, OffsetDateTime completedAt, String reason) {
}
