package dev.rewind.agent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A one-time token an admin mints so a host can register an agent; only its SHA-256 is kept. */
@Entity
@Table(name = "registration_token")
public class RegistrationToken extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant", nullable = false)
    public String tenant;

    @Column(name = "token_hash", nullable = false)
    public String tokenHash;

    public String description;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "used_at")
    public OffsetDateTime usedAt;

    @Column(name = "agent_id")
    public UUID agentId;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;
}
