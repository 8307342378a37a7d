package dev.rewind.registry.rest;

import static dev.rewind.registry.rest.RegisterServerRequest.*;

import dev.rewind.source.CaCertificates;
import dev.rewind.source.TlsMode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of PATCH /servers/{id}: only the fields given change (a field that is absent or null keeps its value).
 * A changed host, port, username or password restarts onboarding and is checked first, unless
 * {@code skip_checks: true}; so does a changed {@code tls_mode} or {@code tls_ca_cert} (an empty tls_ca_cert removes
 * it; a mode that checks no certificate drops it). Switching away from ssh_tunnel drops the jump host.
 */
public record UpdateServerRequest(
        @Size(max = 100) @Pattern(regexp = NAME, message = NAME_MESSAGE) String name,
        @Size(max = 255) @Pattern(regexp = HOST, message = HOST_MESSAGE) String host,
        @Min(1) @Max(65535) Integer port,
        @Size(min = 1, max = 100) @Pattern(regexp = "[^\\r\\n\\x00]*[^\\s\\x00][^\\r\\n\\x00]*",
                message = "must not be blank or hold a line break or NUL character") String username,
        @Size(max = 1000) @Pattern(regexp = ONE_LINE, message = ONE_LINE_MESSAGE) String password,
        @Pattern(regexp = METHOD, message = METHOD_MESSAGE) String connectionMethod,
        @Size(max = 255) @Pattern(regexp = HOST, message = HOST_MESSAGE) String sshJumpHost,
        @Min(1) @Max(65535) Integer sshJumpPort,
        @Size(min = 1, max = 100) @Pattern(regexp = ONE_LINE, message = ONE_LINE_MESSAGE) String sshJumpUser,
        @Pattern(regexp = TlsMode.PATTERN, message = TlsMode.PATTERN_MESSAGE) String tlsMode,
        @Size(max = CaCertificates.MAX_PEM_CHARS) String tlsCaCert,
        Boolean skipChecks) {

    public boolean skipChecksRequested() {
        return Boolean.TRUE.equals(skipChecks);
    }

    @Override
    public String toString() {
        return "UpdateServerRequest[name=" + name + ", host=" + host + ", port=" + port
                + (password == null ? "" : ", password=***") + "]";
    }
}
