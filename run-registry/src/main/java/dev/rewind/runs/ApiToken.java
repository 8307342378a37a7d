package dev.rewind.runs;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant's API token for tools that report runs; only the SHA-256 of the token is kept. */
@Entity
@Table(name = "api_token")
public class ApiToken extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    /** What the token is for, as its creator named it; may be null. */
    public String name;

    /** SHA-256 of the whole token ({@code rr_<id>.<secret>}). */
    @Column(name = "token_hash", nullable = false)
    public byte[] tokenHash;

    /** The subject of the OIDC token that minted it. */
    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    /** Set once revoked; a revoked token no longer authenticates. */
    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;
}
