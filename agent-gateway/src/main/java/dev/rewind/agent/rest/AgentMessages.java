package dev.rewind.agent.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rewind.agent.JobStage;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The request and response bodies of the agent API (shared/reference/agent-api.txt), camelCase on the wire. */
public final class AgentMessages {

    /** The most log entries one call may upload. */
    public static final int MAX_LOG_ENTRIES = 100;

    private AgentMessages() {
    }

    public record RegisterRequest(
            @NotBlank @Size(max = 200) String registrationToken,
            @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "must be a host name") String hostname,
            @Size(max = 50) String os,
            @Size(max = 50) String arch,
            @Size(max = 50) String agentVersion) {

        @Override
        public String toString() {
            return "RegisterRequest[hostname=" + hostname + ", registrationToken=***]";
        }
    }

    /** Answered once: the key is never shown again. */
    public record RegisterResponse(UUID agentId, String apiKey) {

        @Override
        public String toString() {
            return "RegisterResponse[agentId=" + agentId + ", apiKey=***]";
        }
    }

    public record DiscoveredDatabase(
            @NotBlank @Size(max = 50) String dbType,
            @Size(max = 50) String dbVersion,
            @NotBlank @Size(max = 255) String host,
            @NotBlank @Pattern(regexp = "[0-9]{1,5}", message = "must be a port number") String port,
            @NotBlank @Size(max = 255) String databaseName) {
    }

    public record HeartbeatRequest(
            @NotBlank @Size(max = 20) @Pattern(regexp = "[a-z_]+", message = "must be a lowercase word such as online") String status,
            @Size(max = 50) String agentVersion,
            @Size(max = 128) String configHash,
            @Size(max = 500) List<@Valid @NotNull DiscoveredDatabase> discoveredDatabases) {
    }

    public record HeartbeatResponse(boolean configChanged) {
    }

    public record StartJobRequest(@NotNull UUID databaseId, @NotNull UUID targetId, UUID scheduleId) {
    }

    public record StartJobResponse(UUID jobId) {
    }

    public record JobStatusRequest(
            @NotNull @Pattern(regexp = JobStage.PATTERN, message = "must be one of " + JobStage.NAMES) String status,
            @PositiveOrZero Long dumpSize,
            @PositiveOrZero Long compressedSize,
            @Size(max = 2048) String uploadPath,
            @PositiveOrZero Long durationMs,
            @Size(max = 4000) String errorMessage,
            @Size(max = 100) String errorCode) {
    }

    public record SuccessResponse(boolean success) {
    }

    public record VerificationCheck(
            @NotNull @Pattern(regexp = "row_count|schema_match|custom_query", message = "must be one of row_count, schema_match, custom_query") String checkType,
            @NotBlank @Size(max = 255) String checkName,
            @NotNull @Pattern(regexp = "passed|failed|skipped", message = "must be one of passed, failed, skipped") String status,
            @Size(max = 1000) String expectedValue,
            @Size(max = 1000) String actualValue,
            Double deltaPct) {
    }

    public record VerificationRequest(
            @NotNull @Pattern(regexp = "passed|failed|error", message = "must be one of passed, failed, error") String status,
            @Size(max = 255) String containerId,
            @PositiveOrZero Long restoreDurationMs,
            @Size(max = 1000) List<@Valid @NotNull VerificationCheck> checks) {
    }

    public record VerificationResponse(UUID verificationId) {
    }

    public record LogEntry(
            @NotNull @Pattern(regexp = "info|warn|error", message = "must be one of info, warn, error") String level,
            @NotNull @Size(max = 10000) String message,
            @NotNull OffsetDateTime timestamp) {
    }

    public record LogsRequest(
            @NotNull @Size(min = 1, max = MAX_LOG_ENTRIES, message = "must hold 1 to 100 entries: the limit is 100 log entries per call")
            List<@Valid @NotNull LogEntry> logs) {
    }

    public record LogsResponse(int inserted) {
    }

    public record SchemaSnapshotRequest(
            @NotNull UUID databaseId,
            @NotNull ObjectNode snapshot,
            @PositiveOrZero Integer tableCount,
            @PositiveOrZero Integer columnCount) {
    }

    public record SchemaSnapshotResponse(UUID snapshotId) {
    }

    public record AnomalyRequest(
            @NotNull @Pattern(regexp = "size_anomaly|schema_drift|restore_failure", message = "must be one of size_anomaly, schema_drift, restore_failure") String type,
            @NotNull @Pattern(regexp = "info|warning|critical", message = "must be one of info, warning, critical") String severity,
            @NotBlank @Size(max = 500) String title,
            @Size(max = 4000) String description) {
    }

    public record AnomalyResponse(UUID anomalyId) {
    }
}
