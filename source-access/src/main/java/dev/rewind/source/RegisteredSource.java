package dev.rewind.source;

import java.util.UUID;

/**
 * A server as server-registry hands it to Rewind's services ({@code GET /internal/servers/{id}/connection}): where
 * it is, as whom and how to reach it. The one type of that answer for every service that connects to sources. Holds
 * the password: never logged, never put in an event.
 *
 * @param address the address the host resolved to when it passed the source policy ({@link #at}); null before (and
 *                absent from the registry's answer)
 */
public record RegisteredSource(UUID serverId, String tenant, String name, String host, int port, String username,
        String password, String connectionMethod, String sshJumpHost, Integer sshJumpPort, String sshJumpUser,
        String tlsMode, String tlsCaCert, String address) {

    /** A directly reached server without TLS (tests, tools). */
    public RegisteredSource(UUID serverId, String tenant, String name, String host, int port, String username, String password,
            String connectionMethod) {
        this(serverId, tenant, name, host, port, username, password, connectionMethod, null, null, null, null, null, null);
    }

    /** The same server, to be reached at the checked {@code address}. */
    public RegisteredSource at(String checkedAddress) {
        return new RegisteredSource(serverId, tenant, name, host, port, username, password, connectionMethod, sshJumpHost,
                sshJumpPort, sshJumpUser, tlsMode, tlsCaCert, checkedAddress);
    }

    /** How every client reaches the server: the checked address and the server's TLS settings. */
    public SourceEndpoint endpoint() {
        return new SourceEndpoint(host, address, port, username, password, new SourceTls(TlsMode.parse(tlsMode), tlsCaCert));
    }

    @Override
    public String toString() {
        return "RegisteredSource[" + serverId + " " + username + "@" + SourceEndpoint.bracketed(host) + ":" + port + " via "
                + connectionMethod + (tlsMode == null ? "" : ", tls " + tlsMode) + "]";
    }
}
