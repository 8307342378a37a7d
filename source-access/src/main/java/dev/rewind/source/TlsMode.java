package dev.rewind.source;

import java.util.Locale;

/**
 * How a connection to a source is secured, as the MySQL clients name it ({@code --ssl-mode}). The modes build on each
 * other: {@link #REQUIRED} encrypts without checking who answers, {@link #VERIFY_CA} also checks that the server's
 * certificate was signed by the trusted CA, {@link #VERIFY_IDENTITY} also that it names the host Rewind was given.
 */
public enum TlsMode {
    DISABLED,
    REQUIRED,
    VERIFY_CA,
    VERIFY_IDENTITY;

    /** The name in the API and in events: {@code disabled}, {@code required}, {@code verify_ca}, {@code verify_identity}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode of a wire name; {@code null} or blank is {@link #DISABLED}. */
    public static TlsMode parse(String wire) {
        if (wire == null || wire.isBlank()) {
            return DISABLED;
        }
        for (TlsMode mode : values()) {
            if (mode.wire().equals(wire)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("tls_mode must be one of disabled, required, verify_ca, verify_identity");
    }

    public boolean encrypted() {
        return this != DISABLED;
    }

    /** Whether the server's certificate chain is checked against trusted CA certificates. */
    public boolean verifiesCertificate() {
        return this == VERIFY_CA || this == VERIFY_IDENTITY;
    }

    /** The pattern a request's {@code tls_mode} must match. */
    public static final String PATTERN = "disabled|required|verify_ca|verify_identity";
    public static final String PATTERN_MESSAGE = "must be one of disabled, required, verify_ca, verify_identity";
}
