package dev.rewind.agent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A database an agent discovered on its host; its id is the databaseId of jobs, schedules and snapshots. */
@Entity
@Table(name = "agent_database")
public class AgentDatabase extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(name = "agent_id", nullable = false)
    public UUID agentId;

    @Column(name = "db_type", nullable = false)
    public String dbType;

    @Column(name = "db_version")
    public String dbVersion;

    @Column(nullable = false)
    public String host;

    @Column(nullable = false)
    public String port;

    @Column(name = "database_name", nullable = false)
    public String databaseName;

    public boolean present;

    @Column(name = "first_seen_at", nullable = false)
    public OffsetDateTime firstSeenAt;

    @Column(name = "last_seen_at", nullable = false)
    public OffsetDateTime lastSeenAt;
}
