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
 * Records every backup that backup-service finished ({@code backup.completed} → success, {@code backup.failed} →
 * failure) as a run of the job named after the server, reported by {@code backup-service}. The run_id is
 * {@code backup-<backup_id>}: a second event about the same backup overwrites the run, and a redelivered event
 * (same ce_id) is skipped.
 */
@ApplicationScoped
public class BackupEventsListener {

    /** Incoming channel of {@code rewind.backups}. */
    public static final String CHANNEL = "backup-events";
    /** Consumer name of the idempotency marks. */
    public static final String CONSUMER = "run-registry.backups";
    public static final String SOURCE = "backup-service";
    public static final String RUN_ID_PREFIX = "backup-";

    private final RunEventRecorder recorder;

    public BackupEventsListener(RunEventRecorder recorder) {
        this.recorder = recorder;
    }

    @Incoming(CHANNEL)
    public Uni<Void> onBackupEvent(ConsumerRecord<String, String> record) {
        return recorder.record(CONSUMER, record, this::run);
    }

    private EventRun run(CloudEvent event) throws JsonProcessingException {
        String status = switch (event.shortType()) {
            case "backup.completed" -> "success";
            case "backup.failed" -> "failure";
            default -> null; // started, deleted: not a finished run
        };
        if (status == null) {
            return null;
        }
        BackupEvent backup = recorder.payload(event, BackupEvent.class);
        if (backup.backupId() == null || backup.backupId().isBlank()) {
            throw new IllegalArgumentException("event " + event.id() + " names no backup_id");
        }
        OffsetDateTime end = first(backup.completedAt(), event.time());
        OffsetDateTime start = first(backup.startedAt(), end);
        String metadata = recorder.metadata(
                "backup_id", backup.backupId(),
                "server_id", backup.serverId(),
                "schedule_id", backup.scheduleId(),
                "backup_tool", backup.backupTool(),
                "s3_path", backup.s3Path(),
                "duration_ms", backup.durationMs(),
                "binlog_file", backup.binlogFile(),
                "binlog_position", backup.binlogPosition(),
                "gtid_set", backup.gtidSet(),
                "table_count", backup.tables() != null && backup.tables().isArray() ? backup.tables().size() : null);
        RunReport report = new RunReport(RUN_ID_PREFIX + backup.backupId(), first(backup.serverName(), backup.serverId()),
                SOURCE, start, end, status, backup.sizeBytes(), null, null, backup.errorMessage(), metadata);
        return new EventRun(first(event.tenant(), backup.tenant()), report, SOURCE);
    }
}
