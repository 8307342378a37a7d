package dev.rewind.source;

import java.sql.SQLException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * What to tell a tenant when a connection to their server fails. A reason is named only when a MySQL or MariaDB server
 * answered (its refusal of the user, its TLS certificate); everything short of that (refused, timed out, unreachable,
 * something else listening) gets one and the same sentence, so the connection check cannot be used to map which
 * ports of a network are open.
 */
public final class SourceFailures {

    private SourceFailures() {
    }

    /** {@code cannot connect to host:port as 'user': <reason>}, the sentence every service tells a failed connect with. */
    public static String cannotConnect(Throwable failure, SourceEndpoint endpoint) {
        return "cannot connect to " + endpoint.display() + " as '" + endpoint.username() + "': " + describe(failure, endpoint);
    }

    /** The reason, as a clause after "cannot connect to host:port as 'user': ". */
    public static String describe(Throwable failure, SourceEndpoint endpoint) {
        String all = chain(failure).toLowerCase(Locale.ROOT);
        TlsMode mode = endpoint.tls().mode();
        if (all.contains("ssl not enabled in the server") || all.contains("does not support ssl")) {
            return "the server does not offer TLS, which tls_mode " + mode.wire() + " requires";
        }
        if (all.contains("no subject alternative") || all.contains("doesn't correspond to certificate")
                || all.contains("not found in certificate") || all.contains("no name matching")
                || all.contains("identityverification")) {
            return "TLS: the server's certificate does not name the host " + endpoint.host() + " (tls_mode verify_identity)";
        }
        if (all.contains("pkix path") || all.contains("certification path") || all.contains("certificate_unknown")
                || all.contains("self-signed certificate") || all.contains("unable to get local issuer")) {
            return "TLS: the server's certificate is not signed by "
                    + (endpoint.tls().caPem() != null ? "the CA of tls_ca_cert" : "a CA this machine trusts (give tls_ca_cert)");
        }
        if (all.contains("rsa public key is not available") || all.contains("caching_sha2_password")) {
            return "the user authenticates with caching_sha2_password, whose password Rewind sends only over TLS:"
                    + " register the server with tls_mode required or stricter";
        }
        SQLException sql = find(failure, SQLException.class);
        int code = sql == null ? 0 : sql.getErrorCode();
        if (code == 1045 || (sql != null && "28000".equals(sql.getSQLState()))) {
            return "access denied (wrong user name or password, or the user may not connect from Rewind's address)";
        }
        if (code == 1130 || code == 1129) {
            return "the server does not let Rewind's address connect (host not allowed or blocked)";
        }
        if (code == 1040) {
            return "the server has too many connections";
        }
        if (find(failure, SSLException.class) != null) {
            return "the TLS handshake failed";
        }
        if (code > 0 && sql.getMessage() != null) {
            return "the server answered: " + clean(sql.getMessage(), endpoint);
        }
        return "no MySQL or MariaDB server answered there (nothing listening, a firewall, or another kind of server)";
    }

    /** The server's own message, without the driver's prefix, in one short line, the password blanked. */
    static String clean(String message, SourceEndpoint endpoint) {
        String m = message.replaceAll("^\\(conn=\\d+\\)\\s*", "").replaceAll("\\s+", " ").trim();
        if (!endpoint.password().isEmpty()) {
            m = m.replace(endpoint.password(), "***");
        }
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    private static String chain(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
