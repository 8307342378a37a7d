package dev.rewind.registry.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of POST /servers. The password is write-only: it is never returned. */
public record RegisterServerRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "must start with a letter or digit and hold only letters, digits, '.', '_' and '-'")
        String name,
        @NotBlank @Size(max = 255) String host,
        @NotNull @Min(1) @Max(65535) Integer port,
        @NotBlank @Size(max = 100) String username,
        @NotNull @Size(max = 1000) String password,
        @Pattern(regexp = "direct|ssh_tunnel|vpn", message = "must be one of direct, ssh_tunnel, vpn") String connectionMethod,
        @Size(max = 255) String sshJumpHost,
        @Min(1) @Max(65535) Integer sshJumpPort,
        @Size(max = 100) String sshJumpUser) {

    @Override
    public String toString() {
        return "RegisterServerRequest[name=" + name + ", host=" + host + ", port=" + port + ", password=***]";
    }
}
