package dev.rewind.pitr.messaging;

import java.time.OffsetDateTime;
import java.util.UUID;

/** The payload of onboarding.step (deploy/events/README.md). */
public record OnboardingStepEvent(UUID serverId, String tenant, String step, String status, String error, int attempt,
        OffsetDateTime at, String instance) {

    public static final String TYPE = "onboarding.step";
}
