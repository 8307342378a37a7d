package dev.rewind.runs.service;

import dev.rewind.commons.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A finished backup run as a reporter tells it: through POST /v1/backup-runs or from a backup event. The
 * ledger stores it as it is, under its run_id (the same run_id again overwrites).
 *
 * @param metadata the reporter's metadata object as compact JSON text, or null
 */
public record RunReport(String runId, String jobName, String agentId, OffsetDateTime startTime, OffsetDateTime endTime,
        String status, Long bytesBackedUp, Boolean encrypted, String encryptionStatus, String error, String metadata) {

    public static final Set<String> STATUSES = Set.of("success", "failure", "partial");
    public static final Set<String> ENCRYPTION_STATUSES = Set.of("encrypted", "unencrypted", "partial", "failed");
    public static final int MAX_ID_LENGTH = 200;
    /** The largest metadata object, in bytes of compact UTF-8 JSON. */
    public static final int MAX_METADATA_BYTES = 16 * 1024;
    public static final int MAX_ERROR_LENGTH = 16 * 1024;
    /** A run_id is used in URLs: letters, digits and {@code . _ : @ + -}, starting with a letter or digit. */
    public static final String RUN_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:@+-]*";
    private static final Pattern RUN_ID = Pattern.compile(RUN_ID_PATTERN);
    /** Path segments directly under /v1/backup-runs that are not runs. */
    public static final Set<String> RESERVED_RUN_IDS = Set.of("summary");

    /**
     * Checks the rules of the reference on the values (presence and types are the reader's business).
     *
     * @throws ProblemException 400 naming the first field that breaks a rule
     */
    public RunReport check() {
        required("run_id", runId);
        if (runId.length() > MAX_ID_LENGTH || !RUN_ID.matcher(runId).matches()) {
            throw invalid("run_id must be 1 to " + MAX_ID_LENGTH
                    + " characters: letters, digits and . _ : @ + - (starting with a letter or digit)");
        }
        if (RESERVED_RUN_IDS.contains(runId)) {
            throw invalid("run_id '" + runId + "' is reserved");
        }
        name("job_name", jobName);
        name("agent_id", agentId);
        if (startTime == null) {
            throw invalid("start_time is required");
        }
        if (endTime == null) {
            throw invalid("end_time is required");
        }
        if (endTime.isBefore(startTime)) {
            throw invalid("end_time must not be before start_time");
        }
        required("status", status);
        if (!STATUSES.contains(status)) {
            throw invalid("status must be one of success, failure, partial");
        }
        if (bytesBackedUp != null && bytesBackedUp < 0) {
            throw invalid("bytes_backed_up must be 0 or more");
        }
        if (encryptionStatus != null && !ENCRYPTION_STATUSES.contains(encryptionStatus)) {
            throw invalid("encryption_status must be one of encrypted, unencrypted, partial, failed");
        }
        if (error != null && error.length() > MAX_ERROR_LENGTH) {
            throw invalid("error must be at most " + MAX_ERROR_LENGTH + " characters");
        }
        if (metadata != null && metadata.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
            throw invalid("metadata must be at most " + MAX_METADATA_BYTES + " bytes of JSON");
        }
        return this;
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(field + " is required");
        }
    }

    private static void name(String field, String value) {
        required(field, value);
        if (value.length() > MAX_ID_LENGTH) {
            throw invalid(field + " must be at most " + MAX_ID_LENGTH + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw invalid(field + " must not contain control characters");
        }
    }

    private static ProblemException invalid(String message) {
        return ProblemException.badRequest(message);
    }
}
