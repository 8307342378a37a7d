package dev.rewind.backup.client;

import java.util.UUID;

/**
 * A server's connection details as server-registry hands them to service accounts
 * ({@code GET /internal/servers/{id}/connection}). Holds the password: never logged, never put in an event.
 */
public record ServerConnection(UUID serverId, String tenant, String name, String host, int port, String username,
        String password, String connectionMethod) {

    @Override
    public String toString() {
        return "ServerConnection[" + serverId + " " + username + "@" + host + ":" + port + " via " + connectionMethod + "]";
    }
}
