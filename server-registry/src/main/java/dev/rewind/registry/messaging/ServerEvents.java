package dev.rewind.registry.messaging;

import dev.rewind.commons.outbox.OutgoingEvent;
import dev.rewind.registry.Server;
import java.util.UUID;

/** The events of rewind.servers, keyed by server id. Payloads never carry a secret. */
public final class ServerEvents {

    public static final String TOPIC = "rewind.servers";
    public static final String REGISTERED = "server.registered";

    /** Payload of server.registered. */
    public record ServerRegistered(UUID serverId, String tenant, String name, String host, int port,
            String connectionMethod, String status, String onboardingStep) {
    }

    private ServerEvents() {
    }

    public static OutgoingEvent registered(Server server) {
        return new OutgoingEvent(TOPIC, server.id.toString(), REGISTERED, server.id.toString(), server.tenant,
                new ServerRegistered(server.id, server.tenant, server.name, server.host, server.port,
                        server.connectionMethod.name(), server.status.name(), server.onboardingStep));
    }
}
