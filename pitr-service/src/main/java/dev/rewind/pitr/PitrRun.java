package dev.rewind.pitr;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One point-in-time recovery run of one server. */
@Entity
@Table(name = "pitr_run")
public class PitrRun extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(name = "server_id", nullable = false)
    public UUID serverId;

    @Column(name = "server_name", nullable = false)
    public String serverName;

    @Column(name = "target_time", nullable = false)
    public OffsetDateTime targetTime;

    @Column(name = "tables_filter")
    public String tablesFilter;

    @Column(name = "allow_gaps", nullable = false)
    public boolean allowGaps;

    /** running, completed or failed. */
    @Column(nullable = false)
    public String status;

    /** preparing, reconstructing, uploading, complete or failed. */
    @Column(nullable = false)
    public String phase;

    @Column(name = "s3_path")
    public String s3Path;

    @Column(name = "size_bytes")
    public Long sizeBytes;

    @Column(name = "file_count")
    public Integer fileCount;

    @Column(name = "duration_ms")
    public Long durationMs;

    @Column(name = "error_message")
    public String errorMessage;

    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt;

    @Column(name = "completed_at")
    public OffsetDateTime completedAt;

    /** The backup whose dump the run started from. */
    @Column(name = "baseline_backup_id")
    public UUID baselineBackupId;

    /** What the run noted on its way (gaps allowed, tables matched on full rows, inconsistencies), one per line. */
    @Column
    public String notes;

    /** The instance running it; with {@link #heartbeatAt}, how a run orphaned by a dead instance is recognised. */
    @Column
    public String instance;

    @Column(name = "heartbeat_at")
    public OffsetDateTime heartbeatAt;
}
