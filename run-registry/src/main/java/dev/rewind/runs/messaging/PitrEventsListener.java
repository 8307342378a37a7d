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
 * Records every point-in-time recovery run that pitr-service finished ({@code pitr.completed} → success,
 * {@code pitr.failed} → failure) as a run of the job {@code pitr@<server name>}, reported by {@code pitr-service}.
 * {@code pitr.started} is not a run, as {@code backup.started} is not: the ledger holds finished runs only (the
 * reference has no running status and requires end_time), so a started event that arrives late or again can never
 * re-open a finished run. The run_id is {@code pitr-<pitr_id>}; a redelivered event (same ce_id) is skipped.
 */
@ApplicationScoped
public class PitrEventsListener {

    /** Incoming channel of {@code rewind.pitr}. */
    public static final String CHANNEL = "pitr-events";
    /** Consumer name of the idempotency marks. */
    public static final String CONSUMER = "run-registry.pitr";
    public static final String SOURCE = "pitr-service";
    public static final String RUN_ID_PREFIX = "pitr-";
    /** The job of a server's PITR runs: apart from its backups, so a recovery never counts as one of its backups. */
    public static final String JOB_PREFIX = "pitr@";
    /** metadata.kind of every PITR run. */
    public static final String KIND = "point_in_time_recovery";

    private final RunEventRecorder recorder;

    public PitrEventsListener(RunEventRecorder recorder) {
        this.recorder = recorder;
    }

    @Incoming(CHANNEL)
    public Uni<Void> onPitrEvent(ConsumerRecord<String, String> record) {
        return recorder.record(CONSUMER, record, this::run);
    }

    private EventRun run(CloudEvent event) throws JsonProcessingException {
        String status = switch (event.shortType()) {
            case "pitr.completed" -> "success";
            case "pitr.failed" -> "failure";
            default -> null; // pitr.started: not a finished run
        };
        if (status == null) {
            return null;
        }
        PitrRunEvent pitr = recorder.payload(event, PitrRunEvent.class);
        if (pitr.pitrId() == null || pitr.pitrId().isBlank()) {
            throw new IllegalArgumentException("event " + event.id() + " names no pitr_id");
        }
        OffsetDateTime end = first(pitr.completedAt(), event.time());
        OffsetDateTime start = first(pitr.startedAt(), end);
        String server = first(pitr.serverName(), pitr.serverId());
        String metadata = recorder.metadata(
                "kind", KIND,
                "pitr_id", pitr.pitrId(),
                "server_id", pitr.serverId(),
                "target_time", pitr.targetTime(),
                "tables_filter", pitr.tablesFilter() == null || pitr.tablesFilter().isNull() ? null : pitr.tablesFilter(),
                "allow_gaps", pitr.allowGaps(),
                "baseline_backup_id", pitr.baselineBackupId(),
                "phase", pitr.phase(),
                "s3_path", "success".equals(status) ? pitr.s3Path() : null, // pitr-service removes a failed run's output
                "file_count", pitr.fileCount(),
                "duration_ms", pitr.durationMs());
        RunReport report = new RunReport(RUN_ID_PREFIX + pitr.pitrId(), server == null ? null : JOB_PREFIX + server, SOURCE,
                start, end, status, pitr.sizeBytes(), null, null, pitr.errorMessage(), metadata);
        return new EventRun(first(event.tenant(), pitr.tenant()), report, SOURCE);
    }
}
