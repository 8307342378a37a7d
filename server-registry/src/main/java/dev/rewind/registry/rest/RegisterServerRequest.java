package dev.rewind.registry.rest;

import dev.rewind.source.CaCertificates;
import dev.rewind.source.TlsMode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of POST /servers. The password is write-only: it is never returned. {@code skip_checks: true}
 * registers the server without the connection check. {@code tls_mode} (default disabled) secures every connection
 * of every service to the server; {@code tls_ca_cert} (PEM) is the CA verify_ca and verify_identity trust.
 */
public record RegisterServerRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = NAME_MESSAGE) String name,
        @NotBlank @Size(max = 255) @Pattern(regexp = HOST, message = HOST_MESSAGE) String host,
        @NotNull @Min(1) @Max(65535) Integer port,
        @NotBlank @Size(max = 100) @Pattern(regexp = ONE_LINE, message = ONE_LINE_MESSAGE) String username,
        @NotNull @Size(max = 1000) @Pattern(regexp = ONE_LINE, message = ONE_LINE_MESSAGE) String password,
        @Pattern(regexp = METHOD, message = METHOD_MESSAGE) String connectionMethod,
        @Size(max = 255) @Pattern(regexp = HOST, message = HOST_MESSAGE) String sshJumpHost,
        @Min(1) @Max(65535) Integer sshJumpPort,
        @Size(max = 100) @Pattern(regexp = ONE_LINE, message = ONE_LINE_MESSAGE) String sshJumpUser,
        @Pattern(regexp = TlsMode.PATTERN, message = TlsMode.PATTERN_MESSAGE) String tlsMode,
        @Size(max = CaCertificates.MAX_PEM_CHARS) String tlsCaCert,
        Boolean skipChecks) {

    static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]*";
    static final String NAME_MESSAGE = "must start with a letter or digit and hold only letters, digits, '.', '_' and '-'";
    /** A host name, IPv4 or IPv6 address: nothing that could smuggle options into a connection URL. */
    static final String HOST = "[A-Za-z0-9:\\[]([A-Za-z0-9._:\\[\\]-]*[A-Za-z0-9\\]])?";
    static final String HOST_MESSAGE = "must be a host name or an IP address";
    /**
     * A credential goes into the tools' option files and argument lists: a line break or NUL there would end the value
     * and let the rest be read as further options.
     */
    static final String ONE_LINE = "[^\\r\\n\\x00]*";
    static final String ONE_LINE_MESSAGE = "must not hold a line break or NUL character";
    static final String METHOD = "direct|ssh_tunnel|vpn";
    static final String METHOD_MESSAGE = "must be one of direct, ssh_tunnel, vpn";

    public boolean skipChecksRequested() {
        return Boolean.TRUE.equals(skipChecks);
    }

    @Override
    public String toString() {
        return "RegisterServerRequest[name=" + name + ", host=" + host + ", port=" + port + ", password=***]";
    }
}
