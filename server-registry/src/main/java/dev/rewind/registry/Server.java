package dev.rewind.registry;

import dev.rewind.source.SourceTls;
import dev.rewind.source.TlsMode;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A registered MySQL or MariaDB server of one tenant. */
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

    public int port;

    @Column(nullable = false)
    public String username;

    /** The password, encrypted with AES-256-GCM; see {@code SecretCipher}. */
    @Column(name = "password_cipher", nullable = false)
    public String passwordCipher;

    @Enumerated(EnumType.STRING)
    @Column(name = "connection_method", nullable = false)
    public ConnectionMethod connectionMethod;

    @Column(name = "ssh_jump_host")
    public String sshJumpHost;

    @Column(name = "ssh_jump_port")
    public Integer sshJumpPort;

    @Column(name = "ssh_jump_user")
    public String sshJumpUser;

    /** How connections to the server are secured. */
    @Column(name = "tls_mode", nullable = false)
    @Enumerated(EnumType.STRING)
    public TlsMode tlsMode = TlsMode.DISABLED;

    /** The CA certificates (PEM) verify_ca / verify_identity trust; null: the system's. */
    @Column(name = "tls_ca_cert")
    public String tlsCaCert;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ServerStatus status;

    /** The step onboarding is at (see {@link OnboardingStep}); null once the server is active. */
    @Column(name = "onboarding_step")
    public String onboardingStep;

    /** ssh_tunnel only: the customer confirmed the firewall whitelist (POST /servers/{id}/confirm-firewall). */
    @Column(name = "firewall_confirmed", nullable = false)
    public boolean firewallConfirmed;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "decommissioned_at")
    public OffsetDateTime decommissionedAt;

    /** The TLS settings every service applies to this server. */
    public SourceTls tls() {
        return new SourceTls(tlsMode, tlsCaCert);
    }
}
