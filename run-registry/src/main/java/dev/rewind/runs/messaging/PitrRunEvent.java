package dev.rewind.runs.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/**
 * The payload of pitr-service's {@code pitr.started}, {@code pitr.completed} and {@code pitr.failed} on
 * {@code rewind.pitr} (deploy/events/schemas/pitr.*.json): the point-in-time recovery run as pitr-service's API shows
 * it. {@code tables_filter} is kept as sent (the schema allows a string, an array or null).
 */
public record PitrRunEvent(String pitrId, String serverId, String tenant, String serverName, OffsetDateTime targetTime,
        JsonNode tablesFilter, Boolean allowGaps, String baselineBackupId, String status, String phase, String s3Path,
        Long sizeBytes, Long fileCount, Long durationMs, String errorMessage, OffsetDateTime startedAt,
        OffsetDateTime completedAt) {
}
