package dev.rewind.backup;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One backup run of one server, as kept in the history. */
@Entity
@Table(name = "backup")
public class Backup extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(name = "schedule_id")
    public UUID scheduleId;

    @Column(name = "server_id", nullable = false)
    public UUID serverId;

    @Column(name = "server_name", nullable = false)
    public String serverName;

    @Column(name = "backup_tool", nullable = false)
    public String backupTool;

    /** queued, running, completed, failed, deleted or expired. */
    @Column(nullable = false)
    public String status;

    /** queued, dumping, uploading, verifying, complete or failed. */
    @Column(nullable = false)
    public String phase;

    @Column(name = "s3_path")
    public String s3Path;

    @Column(name = "size_bytes")
    public Long sizeBytes;

    @Column(name = "duration_ms")
    public Long durationMs;

    @Column(name = "error_message")
    public String errorMessage;

    @Column(name = "binlog_file")
    public String binlogFile;

    @Column(name = "binlog_position")
    public Long binlogPosition;

    @Column(name = "gtid_set")
    public String gtidSet;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt;

    @Column(name = "completed_at")
    public OffsetDateTime completedAt;

    /** Comma-separated schemas to dump; null means every user schema of the server. */
    public String databases;

    /** The schedule's custom path segment under the server's prefix, or null. */
    @Column(name = "s3_prefix")
    public String s3Prefix;

    /** Days this backup is kept (from its schedule, or the on-demand default). */
    @Column(name = "retention_days")
    public Integer retentionDays;

    /** Why retention kept this entry past its time (the server's newest completed backup is the PITR baseline). */
    @Column(name = "retention_note")
    public String retentionNote;

    /** JSON list of {schema, table, rows} counted in the dump. */
    @Column(name = "tables_json")
    public String tablesJson;

    /** The instance that runs the backup, and its last sign of life (crash recovery looks at both). */
    @Column(name = "claimed_by")
    public String claimedBy;

    @Column(name = "heartbeat_at")
    public OffsetDateTime heartbeatAt;

    @Column(name = "dump_started_at")
    public OffsetDateTime dumpStartedAt;

    /** Whether a restore verification was asked for (the schedule's {@code verify}, or the request's). */
    @Column(nullable = false)
    public boolean verify;

    /** {@code mariadb} or {@code mysql}, from the source's {@code select version()} at dump time. */
    @Column(name = "source_kind")
    public String sourceKind;

    @Column(name = "source_version")
    public String sourceVersion;

    /** passed, failed, skipped or error; null until the backup has finished its upload. */
    @Column(name = "verification_status")
    public String verificationStatus;

    /** Why the verification was skipped, could not run, or failed. */
    @Column(name = "verification_note")
    public String verificationNote;

    /** True while a worker owns the backup: dumping, uploading or verifying. */
    public boolean active() {
        return "dumping".equals(phase) || "uploading".equals(phase) || "verifying".equals(phase);
    }
}
