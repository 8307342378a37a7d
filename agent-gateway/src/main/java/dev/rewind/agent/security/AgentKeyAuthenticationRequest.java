package dev.rewind.agent.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An agent API key presented as {@code Authorization: Bearer bak_...}. */
public class AgentKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    public AgentKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return "AgentKeyAuthenticationRequest[key=***]";
    }
}
