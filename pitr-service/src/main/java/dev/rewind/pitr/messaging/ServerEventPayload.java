package dev.rewind.pitr.messaging;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The payload of server.registered, server.updated and server.decommissioned (deploy/events/README.md); fields a
 * type does not carry are null.
 */
public record ServerEventPayload(UUID serverId, String tenant, String name, String host, Integer port,
        String connectionMethod, String status, String onboardingStep, List<String> changed, Boolean connectionChanged,
        Boolean firewallConfirmed, OffsetDateTime decommissionedAt) {
}
