package dev.rewind.agent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One log line an agent uploaded for a job. */
@Entity
@Table(name = "job_log")
public class JobLog extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id", nullable = false)
    public UUID jobId;

    @Column(nullable = false)
    public String level;

    @Column(nullable = false)
    public String message;

    @Column(name = "logged_at", nullable = false)
    public OffsetDateTime loggedAt;

    @Column(name = "received_at", nullable = false)
    public OffsetDateTime receivedAt;
}
