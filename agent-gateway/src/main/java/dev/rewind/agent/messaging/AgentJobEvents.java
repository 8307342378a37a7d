package dev.rewind.agent.messaging;

import dev.rewind.agent.AgentDatabase;
import dev.rewind.agent.AgentJob;
import dev.rewind.commons.outbox.OutgoingEvent;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The events of rewind.agent-jobs, keyed by agent id (deploy/events/README.md). */
public final class AgentJobEvents {

    public static final String TOPIC = "rewind.agent-jobs";
    public static final String STATUS = "agent.job.status";

    /** Payload of agent.job.status: a job reached a stage. */
    public record AgentJobStatus(UUID jobId, UUID agentId, String tenant, String hostname, UUID databaseId, String databaseName,
            UUID targetId, UUID scheduleId, String stage, Long sizeBytes, Long compressedSizeBytes, String path, Long durationMs,
            String error, String errorCode, boolean encrypted, OffsetDateTime startedAt, OffsetDateTime updatedAt,
            OffsetDateTime completedAt) {
    }

    private AgentJobEvents() {
    }

    public static OutgoingEvent status(AgentJob job, String hostname, AgentDatabase database) {
        return new OutgoingEvent(TOPIC, job.agentId.toString(), STATUS, job.id.toString(), job.tenant,
                new AgentJobStatus(job.id, job.agentId, job.tenant, hostname, job.databaseId, database.databaseName,
                        job.targetId, job.scheduleId, job.stage.name(), job.dumpSize, job.compressedSize, job.uploadPath,
                        job.durationMs, job.errorMessage, job.errorCode, job.encrypted, job.startedAt, job.updatedAt,
                        job.completedAt));
    }
}
