package dev.rewind.pitr.client;

import dev.rewind.pitr.binlog.SourceConnection;
import java.util.UUID;

/** The answer of {@code GET /internal/servers/{id}/connection}. The password is never logged. */
public record ServerConnectionDetails(UUID serverId, String tenant, String name, String host, int port, String username,
        String password, String connectionMethod, String sshJumpHost) {

    public SourceConnection source() {
        return new SourceConnection(host, port, username, password);
    }

    @Override
    public String toString() {
        return "ServerConnectionDetails[" + serverId + " " + username + "@" + host + ":" + port + " via " + connectionMethod + "]";
    }
}
