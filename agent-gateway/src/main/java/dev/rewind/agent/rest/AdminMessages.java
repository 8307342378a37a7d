package dev.rewind.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rewind.agent.AgentDatabase;
import dev.rewind.agent.AgentJob;
import dev.rewind.agent.AlertChannel;
import dev.rewind.agent.Anomaly;
import dev.rewind.agent.JobLog;
import dev.rewind.agent.RegistrationToken;
import dev.rewind.agent.Target;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The request and response bodies of the admin side ({@code /api/v1/admin/...}), camelCase like the agent API. */
public final class AdminMessages {

    private AdminMessages() {
    }

    // --- registration tokens

    public record MintTokenRequest(@Min(1) @Max(720) Integer expiresInHours, @Size(max = 200) String description) {
    }

    /** The one answer that shows the token. */
    public record MintedTokenView(UUID id, String token, OffsetDateTime expiresAt) {

        @Override
        public String toString() {
            return "MintedTokenView[id=" + id + ", token=***]";
        }
    }

    public record TokenView(UUID id, String description, String status, String createdBy, OffsetDateTime createdAt,
            OffsetDateTime expiresAt, OffsetDateTime usedAt, UUID agentId, OffsetDateTime revokedAt) {

        public static TokenView of(RegistrationToken t, OffsetDateTime now) {
            String status = t.revokedAt != null ? "revoked" : t.usedAt != null ? "used" : !t.expiresAt.isAfter(now) ? "expired" : "active";
            return new TokenView(t.id, t.description, status, t.createdBy, t.createdAt, t.expiresAt, t.usedAt, t.agentId, t.revokedAt);
        }
    }

    // --- databases, targets, schedules, alert channels

    public record DatabaseView(UUID id, UUID agentId, String dbType, String dbVersion, String host, String port,
            String databaseName, boolean present, OffsetDateTime firstSeenAt, OffsetDateTime lastSeenAt) {

        public static DatabaseView of(AgentDatabase d) {
            return new DatabaseView(d.id, d.agentId, d.dbType, d.dbVersion, d.host, d.port, d.databaseName, d.present,
                    d.firstSeenAt, d.lastSeenAt);
        }
    }

    public record TargetRequest(
            @NotBlank @Size(max = 100) String name,
            @NotNull @Pattern(regexp = "s3|gcs|azure|local", message = "must be one of s3, gcs, azure, local") String type,
            @Size(max = 255) String bucket,
            @Size(max = 1024) String prefix,
            @Size(max = 100) String region,
            @Size(max = 1024) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String endpoint) {
    }

    public record TargetView(UUID id, String name, String type, String bucket, String prefix, String region, String endpoint,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {

        public static TargetView of(Target t) {
            return new TargetView(t.id, t.name, t.type, t.bucket, t.prefix, t.region, t.endpoint, t.createdAt, t.updatedAt);
        }
    }

    public record ScheduleRequest(
            @NotNull UUID databaseId,
            @NotNull UUID targetId,
            @NotBlank @Size(max = 100)
            @Pattern(regexp = "\\s*[0-9A-Za-z*/,?-]+(\\s+[0-9A-Za-z*/,?-]+){4}\\s*", message = "must be a 5-field cron expression, e.g. 0 2 * * *")
            String cron,
            @NotNull @Min(1) @Max(3650) Integer retentionDays,
            Boolean encrypt,
            Boolean enabled) {
    }

    public record ScheduleView(UUID id, UUID agentId, UUID databaseId, String databaseName, UUID targetId, String cron,
            int retentionDays, boolean encrypt, boolean enabled, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    public record AlertChannelRequest(
            @NotBlank @Size(max = 100) String name,
            @NotNull @Pattern(regexp = "email|slack|webhook", message = "must be one of email, slack, webhook") String type,
            @NotBlank @Size(max = 1024) String destination,
            @Size(max = 20) List<@NotNull @Pattern(regexp = "size_anomaly|schema_drift|restore_failure|job_failed|agent_offline",
                    message = "must be one of size_anomaly, schema_drift, restore_failure, job_failed, agent_offline") String> events,
            Boolean enabled) {
    }

    public record AlertChannelView(UUID id, String name, String type, String destination, List<String> events, boolean enabled,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {

        public static AlertChannelView of(AlertChannel c, List<String> events) {
            return new AlertChannelView(c.id, c.name, c.type, c.destination, events, c.enabled, c.createdAt, c.updatedAt);
        }
    }

    // --- jobs, logs, verifications, anomalies, snapshots

    public record JobView(UUID id, UUID agentId, UUID databaseId, UUID targetId, UUID scheduleId, String status, boolean encrypted,
            Long dumpSize, Long compressedSize, String uploadPath, Long durationMs, String errorMessage, String errorCode,
            OffsetDateTime startedAt, OffsetDateTime updatedAt, OffsetDateTime completedAt) {

        public static JobView of(AgentJob j) {
            return new JobView(j.id, j.agentId, j.databaseId, j.targetId, j.scheduleId, j.stage.name(), j.encrypted, j.dumpSize,
                    j.compressedSize, j.uploadPath, j.durationMs, j.errorMessage, j.errorCode, j.startedAt, j.updatedAt,
                    j.completedAt);
        }
    }

    public record LogView(String level, String message, OffsetDateTime timestamp) {

        public static LogView of(JobLog l) {
            return new LogView(l.level, l.message, l.loggedAt);
        }
    }

    public record VerificationView(UUID id, String status, String containerId, Long restoreDurationMs, JsonNode checks,
            OffsetDateTime createdAt) {
    }

    public record AnomalyView(UUID id, UUID agentId, UUID databaseId, UUID jobId, String type, String severity, String title,
            String description, JsonNode details, String reportedBy, OffsetDateTime detectedAt) {

        public static AnomalyView of(Anomaly a, JsonNode details) {
            return new AnomalyView(a.id, a.agentId, a.databaseId, a.jobId, a.kind, a.severity, a.title, a.description, details,
                    a.reportedBy, a.detectedAt);
        }
    }

    /** A job with everything the agent reported about it. */
    public record JobDetailView(JobView job, List<LogView> logs, List<VerificationView> verifications, List<AnomalyView> anomalies) {
    }

    public record SnapshotView(UUID id, UUID agentId, UUID databaseId, JsonNode snapshot, Integer tableCount, Integer columnCount,
            OffsetDateTime createdAt) {
    }
}
