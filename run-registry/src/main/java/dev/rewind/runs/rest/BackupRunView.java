package dev.rewind.runs.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rewind.runs.BackupRun;
import java.time.OffsetDateTime;

/** A run as the reference shows it, with received_at and its source. */
public record BackupRunView(String runId, String jobName, String agentId, OffsetDateTime startTime, OffsetDateTime endTime,
        String status, Long bytesBackedUp, Boolean encrypted, String encryptionStatus, String error, JsonNode metadata,
        String source, OffsetDateTime receivedAt) {

    public static BackupRunView of(BackupRun run, JsonNode metadata) {
        return new BackupRunView(run.key.runId, run.jobName, run.agentId, run.startTime, run.endTime, run.status,
                run.bytesBackedUp, run.encrypted, run.encryptionStatus, run.error, metadata, run.source, run.receivedAt);
    }
}
