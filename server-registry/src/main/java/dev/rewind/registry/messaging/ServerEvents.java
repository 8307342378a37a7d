package dev.rewind.registry.messaging;

import dev.rewind.commons.outbox.OutgoingEvent;
import dev.rewind.registry.Server;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The events of rewind.servers (compacted), keyed by server id: the last event of a key is the server's current
 * state. Payloads follow deploy/events/README.md and never carry a secret.
 */
public final class ServerEvents {

    public static final String TOPIC = "rewind.servers";
    public static final String REGISTERED = "server.registered";
    public static final String UPDATED = "server.updated";
    public static final String DECOMMISSIONED = "server.decommissioned";

    /** Payload of server.registered. */
    public record ServerRegistered(UUID serverId, String tenant, String name, String host, int port,
            String connectionMethod, String status, String onboardingStep) {
    }

    /**
     * Payload of server.updated.
     *
     * @param changed           the names of the fields that changed (API names, e.g. {@code host}, {@code status})
     * @param connectionChanged host, port, username or password changed: onboarding restarts
     * @param firewallConfirmed ssh_tunnel: the customer confirmed the firewall whitelist
     */
    public record ServerUpdated(UUID serverId, String tenant, String name, String host, int port,
            String connectionMethod, String status, String onboardingStep, List<String> changed,
            boolean connectionChanged, boolean firewallConfirmed) {
    }

    /** Payload of server.decommissioned: streaming and schedules stop. */
    public record ServerDecommissioned(UUID serverId, String tenant, String name, OffsetDateTime decommissionedAt) {
    }

    private ServerEvents() {
    }

    public static OutgoingEvent registered(Server server) {
        return event(REGISTERED, server, new ServerRegistered(server.id, server.tenant, server.name, server.host, server.port,
                server.connectionMethod.name(), server.status.name(), server.onboardingStep));
    }

    public static OutgoingEvent updated(Server server, List<String> changed, boolean connectionChanged) {
        return event(UPDATED, server, new ServerUpdated(server.id, server.tenant, server.name, server.host, server.port,
                server.connectionMethod.name(), server.status.name(), server.onboardingStep, List.copyOf(changed),
                connectionChanged, server.firewallConfirmed));
    }

    public static OutgoingEvent decommissioned(Server server) {
        return event(DECOMMISSIONED, server, new ServerDecommissioned(server.id, server.tenant, server.name, server.decommissionedAt));
    }

    private static OutgoingEvent event(String type, Server server, Object payload) {
        return new OutgoingEvent(TOPIC, server.id.toString(), type, server.id.toString(), server.tenant, payload);
    }
}
