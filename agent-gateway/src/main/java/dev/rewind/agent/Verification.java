package dev.rewind.agent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The result of restoring a job's backup into a scratch container and checking it. */
@Entity
@Table(name = "verification")
public class Verification extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(name = "job_id", nullable = false)
    public UUID jobId;

    @Column(nullable = false)
    public String status;

    @Column(name = "container_id")
    public String containerId;

    @Column(name = "restore_duration_ms")
    public Long restoreDurationMs;

    /** The checks as a JSON array. */
    @Column(nullable = false)
    public String checks;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
