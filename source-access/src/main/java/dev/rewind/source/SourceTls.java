package dev.rewind.source;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS settings of one source ({@code tls_mode} and the optional {@code tls_ca_cert}), applied the same way to
 * every client Rewind has: the JDBC driver ({@link #applyTo(Properties)}), the binlog client ({@link #upgrade}) and
 * the MySQL tools ({@link #optionLines(Path)}). Without a CA certificate the verifying modes trust the JVM's and the
 * system's CA bundles, as a server with a public certificate needs.
 *
 * @param caPem the CA certificates in PEM form, or {@code null}
 */
public record SourceTls(TlsMode mode, String caPem) {

    public static final SourceTls DISABLED = new SourceTls(TlsMode.DISABLED, null);

    /** Where Debian's CA bundle is: what the tools trust for a verifying mode without a CA certificate of the tenant. */
    static final Path SYSTEM_CA_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

    public SourceTls {
        if (mode == null) {
            mode = TlsMode.DISABLED;
        }
        if (caPem != null && caPem.isBlank()) {
            caPem = null;
        }
    }

    /**
     * Checked settings from a request or a stored row.
     *
     * @throws IllegalArgumentException when the mode is unknown, the certificates cannot be read, or a CA certificate
     *                                  is given for a mode that does not check certificates
     */
    public static SourceTls of(String mode, String caPem) {
        SourceTls tls = new SourceTls(TlsMode.parse(mode), caPem);
        if (tls.caPem != null) {
            if (!tls.mode.verifiesCertificate()) {
                throw new IllegalArgumentException("tls_ca_cert is only used with tls_mode verify_ca or verify_identity");
            }
            CaCertificates.parse(tls.caPem);
        }
        return tls;
    }

    /**
     * The driver's TLS settings; the server's RSA key is fetched for {@code caching_sha2_password} only over TLS,
     * where nobody in the middle can hand us theirs and read the password.
     */
    public void applyTo(Properties props) {
        props.setProperty("sslMode", switch (mode) {
            case DISABLED -> "disable";
            case REQUIRED -> "trust";
            case VERIFY_CA -> "verify-ca";
            case VERIFY_IDENTITY -> "verify-full";
        });
        if (caPem != null) {
            props.setProperty("serverSslCert", caPem);
        }
        props.setProperty("allowPublicKeyRetrieval", Boolean.toString(mode.encrypted()));
    }

    /**
     * Turns an open socket into TLS for the binlog protocol (after its SSL request): the chain checked for the
     * verifying modes, and for {@link TlsMode#VERIFY_IDENTITY} the certificate must name {@code host} (the name the
     * tenant registered, whatever address the socket reached). The handshake runs at {@code startHandshake()} or
     * the first read or write.
     */
    public SSLSocket upgrade(Socket socket, String host, int port) throws IOException {
        SSLSocket tls = (SSLSocket) sslContext().getSocketFactory().createSocket(socket, host, port, true);
        if (mode == TlsMode.VERIFY_IDENTITY) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
        }
        return tls;
    }

    /** The context for {@link #upgrade}: trusting the tenant's CA certificates, the JVM's, or (REQUIRED) anyone. */
    public SSLContext sslContext() {
        try {
            TrustManager[] trust;
            if (mode.verifiesCertificate()) {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(caPem == null ? null : CaCertificates.trustStore(CaCertificates.parse(caPem)));
                trust = factory.getTrustManagers();
            } else {
                trust = new TrustManager[] {TRUST_ANYONE};
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The lines of a tool's {@code [client]} option group (mydumper, myloader, the mariadb client and dump all read
     * it): TLS on, the CA file ({@code caFile}, where the caller wrote {@link #caPem}) for the verifying modes, and
     * the host name checked for {@link TlsMode#VERIFY_IDENTITY}. Empty when TLS is off.
     */
    public String optionLines(Path caFile) {
        if (!mode.encrypted()) {
            return "";
        }
        StringBuilder lines = new StringBuilder("ssl\n");
        if (mode.verifiesCertificate()) {
            Path ca = caPem != null ? caFile : SYSTEM_CA_BUNDLE;
            lines.append("ssl-ca=").append(ca.toAbsolutePath()).append('\n');
            if (mode == TlsMode.VERIFY_IDENTITY) {
                lines.append("ssl-verify-server-cert\n");
            }
        }
        return lines.toString();
    }

    /** Writes the CA certificates for the tools to {@code file} (0644: certificates are public); false when there are none. */
    public boolean writeCa(Path file) throws IOException {
        if (caPem == null) {
            return false;
        }
        Files.writeString(file, caPem.endsWith("\n") ? caPem : caPem + "\n");
        return true;
    }

    /** The certificates of {@link #caPem}, empty when there are none. */
    public List<X509Certificate> caCertificates() {
        return caPem == null ? List.of() : CaCertificates.parse(caPem);
    }

    private static final X509TrustManager TRUST_ANYONE = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // tls_mode required: encrypted, whoever answers (the mode's meaning, as in the MySQL clients)
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    @Override
    public String toString() {
        return mode.wire() + (caPem == null ? "" : " with a CA certificate");
    }
}
