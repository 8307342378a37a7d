package dev.rewind.pitr;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A completed backup of a server, known from rewind.backups: a PITR baseline. */
@Entity
@Table(name = "baseline")
public class Baseline extends PanacheEntityBase {

    @Id
    @Column(name = "backup_id")
    public UUID backupId;

    @Column(name = "server_id", nullable = false)
    public UUID serverId;

    @Column(nullable = false)
    public String tenant;

    @Column(name = "s3_path")
    public String s3Path;

    @Column(name = "binlog_file")
    public String binlogFile;

    @Column(name = "binlog_position")
    public Long binlogPosition;

    @Column(name = "gtid_set")
    public String gtidSet;

    @Column(name = "size_bytes")
    public Long sizeBytes;

    @Column(name = "completed_at", nullable = false)
    public OffsetDateTime completedAt;

    /** Set when backup.deleted arrived: the baseline no longer exists. */
    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;
}
