package dev.rewind.runs.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/**
 * The payload of backup-service's {@code backup.completed} and {@code backup.failed} on {@code rewind.backups}
 * (deploy/events/README.md); the fields of either, those of the other type stay null.
 */
public record BackupEvent(String backupId, String serverId, String tenant, String serverName, String scheduleId,
        String backupTool, String s3Path, Long sizeBytes, Long durationMs, String binlogFile, Long binlogPosition,
        String gtidSet, JsonNode tables, String errorMessage, OffsetDateTime startedAt, OffsetDateTime completedAt) {
}
