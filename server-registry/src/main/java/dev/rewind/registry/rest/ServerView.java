package dev.rewind.registry.rest;

import dev.rewind.registry.Server;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A server as the API shows it: no password, ever. */
public record ServerView(
        UUID id,
        String name,
        String host,
        int port,
        String username,
        String connectionMethod,
        SshTunnel sshTunnel,
        String tlsMode,
        String tlsCaCert,
        String status,
        String onboardingStep,
        boolean firewallConfirmed,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime decommissionedAt) {

    /** The jump host of an ssh_tunnel server. */
    public record SshTunnel(String jumpHost, int jumpPort, String jumpUser) {
    }

    public static ServerView of(Server server) {
        SshTunnel tunnel = server.sshJumpHost == null ? null
                : new SshTunnel(server.sshJumpHost, server.sshJumpPort, server.sshJumpUser);
        return new ServerView(server.id, server.name, server.host, server.port, server.username,
                server.connectionMethod.name(), tunnel, server.tlsMode.wire(), server.tlsCaCert, server.status.name(), server.onboardingStep,
                server.firewallConfirmed, server.createdAt, server.updatedAt, server.decommissionedAt);
    }
}
