package dev.rewind.runs.messaging;

import java.time.OffsetDateTime;

/** The payload of agent-gateway's {@code agent.job.status} on {@code rewind.agent-jobs} (deploy/events/README.md). */
public record AgentJobStatusEvent(String jobId, String agentId, String tenant, String hostname, String databaseId,
        String databaseName, String targetId, String scheduleId, String stage, Long sizeBytes, Long compressedSizeBytes,
        String path, Long durationMs, String error, String errorCode, Boolean encrypted, OffsetDateTime startedAt,
        OffsetDateTime updatedAt, OffsetDateTime completedAt) {
}
