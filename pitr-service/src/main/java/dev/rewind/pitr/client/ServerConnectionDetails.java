package dev.rewind.pitr.client;

import dev.rewind.source.SourceEndpoint;
import dev.rewind.source.SourceTls;
import dev.rewind.source.TlsMode;
import java.util.UUID;

/**
 * The answer of {@code GET /internal/servers/{id}/connection}. The password is never logged.
 *
 * @param address the address the host resolved to when it passed the source policy ({@link #at}); null before
 */
public record ServerConnectionDetails(UUID serverId, String tenant, String name, String host, int port, String username,
        String password, String connectionMethod, String sshJumpHost, String tlsMode, String tlsCaCert, String address) {

    /** The same server, to be reached at the checked {@code address}. */
    public ServerConnectionDetails at(String checkedAddress) {
        return new ServerConnectionDetails(serverId, tenant, name, host, port, username, password, connectionMethod, sshJumpHost,
                tlsMode, tlsCaCert, checkedAddress);
    }

    /** How the binlog client and JDBC reach the server: the checked address and the server's TLS settings. */
    public SourceEndpoint source() {
        return new SourceEndpoint(host, address, port, username, password, new SourceTls(TlsMode.parse(tlsMode), tlsCaCert));
    }

    @Override
    public String toString() {
        return "ServerConnectionDetails[" + serverId + " " + username + "@" + host + ":" + port + " via " + connectionMethod
                + (tlsMode == null ? "" : ", tls " + tlsMode) + "]";
    }
}
