package dev.rewind.backup;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A server as backup-service knows it: projected from the {@code rewind.servers} topic. server-registry owns the
 * server and its connection secret; this projection only answers "does it exist, whose is it, is it still live".
 */
@Entity
@Table(name = "server")
public class KnownServer extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public boolean decommissioned;

    /** The partition of rewind.servers this server's events go to: whoever holds it runs the server's backups. */
    @Column(name = "kafka_partition")
    public Integer kafkaPartition;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
