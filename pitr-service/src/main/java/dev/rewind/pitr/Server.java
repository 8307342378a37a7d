package dev.rewind.pitr;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A server as pitr-service knows it from rewind.servers (a projection; server-registry owns servers). */
@Entity
@Table(name = "server")
public class Server extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String host;

    @Column(nullable = false)
    public int port;

    /** direct, ssh_tunnel or vpn. */
    @Column(name = "connection_method", nullable = false)
    public String connectionMethod;

    @Column(name = "firewall_confirmed", nullable = false)
    public boolean firewallConfirmed;

    /** The partition of rewind.servers the server's events are on: its owner holds that partition. */
    @Column(name = "kafka_partition", nullable = false)
    public int kafkaPartition;

    @Column(name = "decommissioned_at")
    public OffsetDateTime decommissionedAt;

    /** The time of the last event applied (older events arriving late are ignored). */
    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
