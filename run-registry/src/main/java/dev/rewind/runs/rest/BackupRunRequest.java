package dev.rewind.runs.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of POST /v1/backup-runs as the reference defines it. Documentation of the wire format only: the body
 * is read field by field by {@link RunReportReader}, so that every flaw is a 400 {@code {"error": "..."}}.
 */
@Schema(name = "BackupRunRequest", description = "A backup run report; the same run_id again overwrites the run")
public record BackupRunRequest(
        @Schema(required = true, maxLength = 200, pattern = "^[A-Za-z0-9][A-Za-z0-9._:@+-]*$",
                description = "Unique run identifier (per tenant); 'summary' is reserved",
                examples = "550e8400-e29b-41d4-a716-446655440000") String runId,
        @Schema(required = true, maxLength = 200, examples = "postgres-daily") String jobName,
        @Schema(required = true, maxLength = 200, examples = "agent-prod-db-01") String agentId,
        @Schema(required = true, description = "ISO-8601 with offset") OffsetDateTime startTime,
        @Schema(required = true, description = "ISO-8601 with offset, not before start_time") OffsetDateTime endTime,
        @Schema(required = true, enumeration = {"success", "failure", "partial"}) String status,
        @Schema(minimum = "0") Long bytesBackedUp,
        Boolean encrypted,
        @Schema(enumeration = {"encrypted", "unencrypted", "partial", "failed"}) String encryptionStatus,
        @Schema(nullable = true, maxLength = 16384) String error,
        @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT,
                description = "Any JSON object, at most 16 KiB") JsonNode metadata) {
}
