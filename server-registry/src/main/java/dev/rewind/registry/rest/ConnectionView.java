package dev.rewind.registry.rest;

import dev.rewind.registry.Server;
import dev.rewind.registry.service.ServerConnection;
import java.util.UUID;

/** The body of GET /internal/servers/{id}/connection: what a service needs to connect, password included. */
public record ConnectionView(UUID serverId, String tenant, String name, String host, int port, String username,
        String password, String connectionMethod, String sshJumpHost, Integer sshJumpPort, String sshJumpUser, String tlsMode,
        String tlsCaCert) {

    public static ConnectionView of(ServerConnection connection) {
        Server server = connection.server();
        return new ConnectionView(server.id, server.tenant, server.name, server.host, server.port, server.username,
                connection.password(), server.connectionMethod.name(), server.sshJumpHost, server.sshJumpPort, server.sshJumpUser,
                server.tlsMode.wire(), server.tlsCaCert);
    }

    @Override
    public String toString() {
        return "ConnectionView[" + serverId + ", password=***]";
    }
}
