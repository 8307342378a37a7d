package dev.rewind.agent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The schema of an agent database at one moment; each is compared with the previous one. */
@Entity
@Table(name = "schema_snapshot")
public class SchemaSnapshot extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(name = "agent_id", nullable = false)
    public UUID agentId;

    @Column(name = "database_id", nullable = false)
    public UUID databaseId;

    /** The snapshot document as JSON ({@code {"tables": [...]}}). */
    @Column(nullable = false)
    public String snapshot;

    @Column(name = "table_count")
    public Integer tableCount;

    @Column(name = "column_count")
    public Integer columnCount;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
