package dev.rewind.pitr;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A stretch of a server's binlog that was never indexed: PITR to a time inside it is not exact. */
@Entity
@Table(name = "binlog_gap")
public class BinlogGap extends PanacheEntityBase {

    public static final String PURGED = "binlog_purged";
    public static final String IDENTITY_CHANGED = "identity_changed";
    public static final String RESTARTED_PAST_UNREAD = "restarted_past_unread";

    @Id
    public UUID id;

    @Column(name = "server_id", nullable = false)
    public UUID serverId;

    @Column(nullable = false)
    public String tenant;

    /** binlog_purged, identity_changed or restarted_past_unread. */
    @Column(nullable = false)
    public String kind;

    @Column(name = "gap_start", nullable = false)
    public OffsetDateTime gapStart;

    @Column(name = "gap_end", nullable = false)
    public OffsetDateTime gapEnd;

    @Column(name = "from_file")
    public String fromFile;

    @Column(name = "from_pos")
    public Long fromPos;

    @Column(name = "to_file")
    public String toFile;

    @Column(name = "to_pos")
    public Long toPos;

    @Column(nullable = false)
    public String message;

    @Column(name = "detected_at", nullable = false)
    public OffsetDateTime detectedAt;
}
