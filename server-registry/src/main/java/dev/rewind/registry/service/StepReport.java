package dev.rewind.registry.service;

import dev.rewind.registry.OnboardingStep;
import dev.rewind.registry.StepStatus;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One step of a server's onboarding as pitr-service reported it, validated. */
public record StepReport(UUID serverId, String tenant, OnboardingStep step, StepStatus status, int attempt,
        OffsetDateTime at, String error, String instance) {
}
