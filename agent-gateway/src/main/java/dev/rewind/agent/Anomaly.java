package dev.rewind.agent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Something wrong with an agent's backups: reported by the agent or detected here. */
@Entity
@Table(name = "anomaly")
public class Anomaly extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(name = "agent_id", nullable = false)
    public UUID agentId;

    @Column(name = "database_id")
    public UUID databaseId;

    @Column(name = "job_id")
    public UUID jobId;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String severity;

    @Column(nullable = false)
    public String title;

    public String description;

    /** Facts behind the anomaly as a JSON object. */
    @Column(nullable = false)
    public String details;

    /** {@code agent} or {@code server}. */
    @Column(name = "reported_by", nullable = false)
    public String reportedBy;

    @Column(name = "detected_at", nullable = false)
    public OffsetDateTime detectedAt;
}
