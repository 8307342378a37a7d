package dev.rewind.agent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** When an agent backs up one of its databases, and to which target. */
@Entity
@Table(name = "schedule")
public class Schedule extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(name = "agent_id", nullable = false)
    public UUID agentId;

    @Column(name = "database_id", nullable = false)
    public UUID databaseId;

    @Column(name = "target_id", nullable = false)
    public UUID targetId;

    @Column(nullable = false)
    public String cron;

    @Column(name = "retention_days")
    public int retentionDays;

    public boolean encrypt;

    public boolean enabled;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
