package dev.rewind.source;

/**
 * Where and as whom to reach one source: the host the tenant registered, the address Rewind checked it resolves to
 * ({@link SourceAddresses}), the account and the TLS settings. The password is never printed.
 *
 * @param host    the registered host name or address: what messages name and what {@link TlsMode#VERIFY_IDENTITY}
 *                checks the certificate against
 * @param address the address to connect to, once checked; {@code null} before
 */
public record SourceEndpoint(String host, String address, int port, String username, String password, SourceTls tls) {

    public SourceEndpoint {
        if (tls == null) {
            tls = SourceTls.DISABLED;
        }
        if (password == null) {
            password = "";
        }
    }

    public static SourceEndpoint of(String host, int port, String username, String password, SourceTls tls) {
        return new SourceEndpoint(host, null, port, username, password, tls);
    }

    /** The same endpoint, to be reached at the checked {@code address}. */
    public SourceEndpoint at(String address) {
        return new SourceEndpoint(host, address, port, username, password, tls);
    }

    /**
     * What the clients are told to connect to: the checked address, so a name that resolves elsewhere a moment later
     * changes nothing; but the name itself for {@link TlsMode#VERIFY_IDENTITY}, whose certificate names the host, not
     * the address (the name resolves from the JVM's cache to what was just checked, and a server elsewhere could not
     * show a certificate for it).
     */
    public String connectHost() {
        return address == null || tls.mode() == TlsMode.VERIFY_IDENTITY ? host : address;
    }

    /**
     * What the MySQL tools are given as {@code --host}: {@link #connectHost()}, but never {@code localhost}, which
     * they take to mean the local UNIX socket (mydumper has no {@code --protocol}).
     */
    public String toolHost() {
        String h = connectHost();
        return "localhost".equalsIgnoreCase(h) && address != null ? address : h;
    }

    /** {@code host:port}, IPv6 in brackets, for messages. */
    public String display() {
        return bracketed(host) + ":" + port;
    }

    /** An IPv6 literal in brackets, as URLs need it; anything else unchanged. */
    public static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return "SourceEndpoint[" + username + "@" + display() + (address == null || address.equals(host) ? "" : " at " + address)
                + ", tls " + tls + ", password=***]";
    }
}
