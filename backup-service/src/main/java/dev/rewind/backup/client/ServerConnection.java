package dev.rewind.backup.client;

import dev.rewind.source.SourceEndpoint;
import dev.rewind.source.SourceTls;
import dev.rewind.source.TlsMode;
import java.util.UUID;

/**
 * A server's connection details as server-registry hands them to service accounts
 * ({@code GET /internal/servers/{id}/connection}). Holds the password: never logged, never put in an event.
 *
 * @param address the address the host resolved to when it passed the source policy ({@link #at}); null before
 */
public record ServerConnection(UUID serverId, String tenant, String name, String host, int port, String username,
        String password, String connectionMethod, String tlsMode, String tlsCaCert, String address) {

    public ServerConnection(UUID serverId, String tenant, String name, String host, int port, String username, String password,
            String connectionMethod) {
        this(serverId, tenant, name, host, port, username, password, connectionMethod, null, null, null);
    }

    /** The same server, to be reached at the checked {@code address}. */
    public ServerConnection at(String checkedAddress) {
        return new ServerConnection(serverId, tenant, name, host, port, username, password, connectionMethod, tlsMode, tlsCaCert,
                checkedAddress);
    }

    /** How every client of backup-service reaches the server: the checked address and the server's TLS settings. */
    public SourceEndpoint endpoint() {
        return new SourceEndpoint(host, address, port, username, password, new SourceTls(TlsMode.parse(tlsMode), tlsCaCert));
    }

    @Override
    public String toString() {
        return "ServerConnection[" + serverId + " " + username + "@" + host + ":" + port + " via " + connectionMethod
                + (tlsMode == null ? "" : ", tls " + tlsMode) + "]";
    }
}
