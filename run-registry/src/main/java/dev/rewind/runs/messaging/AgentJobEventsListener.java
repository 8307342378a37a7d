package dev.rewind.runs.messaging;

import static dev.rewind.runs.messaging.RunEventRecorder.first;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rewind.commons.messaging.CloudEvent;
import dev.rewind.runs.messaging.RunEventRecorder.EventRun;
import dev.rewind.runs.service.RunReport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records every agent job that finished ({@code agent.job.status} with stage {@code completed} → success,
 * {@code failed} → failure; the other stages are progress) as a run reported by the agent itself. The job is
 * {@code <database_name>@<hostname>}; the run_id is {@code agent-job-<job_id>}, so a redelivery overwrites rather
 * than duplicates, and a redelivered event (same ce_id) is skipped.
 */
@ApplicationScoped
public class AgentJobEventsListener {

    /** Incoming channel of {@code rewind.agent-jobs}. */
    public static final String CHANNEL = "agent-job-events";
    /** Consumer name of the idempotency marks. */
    public static final String CONSUMER = "run-registry.agent-jobs";
    public static final String RUN_ID_PREFIX = "agent-job-";

    private final RunEventRecorder recorder;

    public AgentJobEventsListener(RunEventRecorder recorder) {
        this.recorder = recorder;
    }

    @Incoming(CHANNEL)
    public Uni<Void> onJobStatus(ConsumerRecord<String, String> record) {
        return recorder.record(CONSUMER, record, this::run);
    }

    private EventRun run(CloudEvent event) throws JsonProcessingException {
        if (!"agent.job.status".equals(event.shortType())) {
            return null;
        }
        AgentJobStatusEvent job = recorder.payload(event, AgentJobStatusEvent.class);
        String status = switch (job.stage() == null ? "" : job.stage()) {
            case "completed" -> "success";
            case "failed" -> "failure";
            default -> null; // dumping, compressing, encrypting, uploading: still running
        };
        if (status == null) {
            return null;
        }
        if (job.jobId() == null || job.jobId().isBlank()) {
            throw new IllegalArgumentException("event " + event.id() + " names no job_id");
        }
        String agent = first(job.agentId(), event.subject());
        OffsetDateTime end = first(job.completedAt(), job.updatedAt(), event.time());
        OffsetDateTime start = first(job.startedAt(), end);
        String database = first(job.databaseName(), job.databaseId(), "agent-job");
        String jobName = job.hostname() == null || job.hostname().isBlank() ? database : database + "@" + job.hostname();
        String encryption = job.encrypted() == null ? null : job.encrypted() ? "encrypted" : "unencrypted";
        String metadata = recorder.metadata(
                "job_id", job.jobId(),
                "hostname", job.hostname(),
                "database_id", job.databaseId(),
                "target_id", job.targetId(),
                "schedule_id", job.scheduleId(),
                "path", job.path(),
                "compressed_size_bytes", job.compressedSizeBytes(),
                "duration_ms", job.durationMs(),
                "error_code", job.errorCode());
        RunReport report = new RunReport(RUN_ID_PREFIX + job.jobId(), jobName, agent, start, end, status, job.sizeBytes(),
                job.encrypted(), encryption, job.error(), metadata);
        return new EventRun(first(event.tenant(), job.tenant()), report, agent);
    }
}
