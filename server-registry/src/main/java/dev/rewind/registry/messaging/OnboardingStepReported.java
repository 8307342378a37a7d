package dev.rewind.registry.messaging;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Payload of {@code onboarding.step} on rewind.onboarding (pitr-service reports a step of a server's onboarding).
 *
 * @param step     provisioning | awaiting_firewall | waiting_for_agent | initializing | snapshotting | streaming
 * @param status   started | completed | failed
 * @param error    why the step failed; null unless failed
 * @param attempt  1, 2, … on retries
 * @param at       when it happened
 * @param instance the pitr-service instance
 */
public record OnboardingStepReported(UUID serverId, String tenant, String step, String status, String error,
        Integer attempt, OffsetDateTime at, String instance) {
}
