package dev.rewind.agent.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/** The agent calling the agent API, as its API key identified it. */
@RequestScoped
public class CallerAgent {

    private final SecurityIdentity identity;

    public CallerAgent(SecurityIdentity identity) {
        this.identity = identity;
    }

    public UUID id() {
        return UUID.fromString(identity.getPrincipal().getName());
    }

    public String tenant() {
        return identity.getAttribute(AgentKeyIdentityProvider.TENANT);
    }

    public String hostname() {
        return identity.getAttribute(AgentKeyIdentityProvider.HOSTNAME);
    }
}
