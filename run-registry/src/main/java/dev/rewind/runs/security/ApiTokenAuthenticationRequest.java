package dev.rewind.runs.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A run-ledger API token presented as {@code Authorization: Bearer rr_...}. */
public class ApiTokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    public ApiTokenAuthenticationRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "ApiTokenAuthenticationRequest[token=***]";
    }
}
