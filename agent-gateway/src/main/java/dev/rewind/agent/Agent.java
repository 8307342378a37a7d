package dev.rewind.agent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A backup agent on a customer host. Updates touch only changed columns: heartbeats write the row concurrently. */
@Entity
@DynamicUpdate
@Table(name = "agent")
public class Agent extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(nullable = false)
    public String hostname;

    public String os;

    public String arch;

    @Column(name = "agent_version")
    public String agentVersion;

    /** SHA-256 (hex) of the API key; the key itself is shown once and never stored. */
    @Column(name = "api_key_hash", nullable = false)
    public String apiKeyHash;

    @Column(nullable = false)
    public String status;

    @Column(name = "config_hash")
    public String configHash;

    /** The databases the agent last reported, as a JSON array. */
    @Column(name = "discovered_databases", nullable = false)
    public String discoveredDatabases;

    @Column(name = "last_heartbeat_at")
    public OffsetDateTime lastHeartbeatAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    /** SHA-256 (hex) of the configuration the agent should run; a heartbeat with another hash hears configChanged. */
    @Column(name = "desired_config_hash", nullable = false)
    public String desiredConfigHash = "";

    @Column(name = "registration_token_id")
    public UUID registrationTokenId;
}
