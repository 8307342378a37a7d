package dev.rewind.source;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CA certificates a tenant gives in PEM form ({@code tls_ca_cert}): parsed and checked before they are stored. */
public final class CaCertificates {

    /** A bundle larger than this is not a CA bundle. */
    public static final int MAX_PEM_CHARS = 65_536;

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

    private CaCertificates() {
    }

    /**
     * The certificates of a PEM bundle: one or more {@code BEGIN CERTIFICATE} blocks, nothing else but whitespace
     * between them (a private key pasted by mistake is refused, not stored).
     *
     * @throws IllegalArgumentException naming what is wrong, fit for a 422
     */
    public static List<X509Certificate> parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("tls_ca_cert is empty");
        }
        if (pem.length() > MAX_PEM_CHARS) {
            throw new IllegalArgumentException("tls_ca_cert is longer than " + MAX_PEM_CHARS + " characters");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        int end = 0;
        while (m.find()) {
            if (!pem.substring(end, m.start()).isBlank()) {
                throw new IllegalArgumentException("tls_ca_cert holds something other than PEM certificates");
            }
            end = m.end();
            certificates.add(decode(m.group(0)));
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("tls_ca_cert holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        if (!pem.substring(end).isBlank()) {
            throw new IllegalArgumentException("tls_ca_cert holds something other than PEM certificates");
        }
        return certificates;
    }

    private static X509Certificate decode(String block) {
        try {
            Collection<? extends Certificate> decoded = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(block.getBytes(StandardCharsets.US_ASCII)));
            if (decoded.size() != 1 || !(decoded.iterator().next() instanceof X509Certificate certificate)) {
                throw new IllegalArgumentException("tls_ca_cert holds a block that is not one X.509 certificate");
            }
            return certificate;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("tls_ca_cert holds a certificate that cannot be read");
        }
    }

    /** A trust store holding exactly these certificates. */
    static KeyStore trustStore(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
        }
    }
}
