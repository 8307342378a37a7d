package dev.rewind.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rewind.agent.Agent;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An agent as admins see it: never its key or key hash. */
public record AgentView(UUID id, String hostname, String os, String arch, String agentVersion, String status,
        boolean online, OffsetDateTime lastHeartbeatAt, JsonNode discoveredDatabases, boolean revoked,
        OffsetDateTime createdAt) {

    public static AgentView of(Agent agent, JsonNode discoveredDatabases, Duration offlineAfter, OffsetDateTime now) {
        boolean online = agent.revokedAt == null && agent.lastHeartbeatAt != null
                && agent.lastHeartbeatAt.isAfter(now.minus(offlineAfter));
        return new AgentView(agent.id, agent.hostname, agent.os, agent.arch, agent.agentVersion, agent.status, online,
                agent.lastHeartbeatAt, discoveredDatabases, agent.revokedAt != null, agent.createdAt);
    }
}
