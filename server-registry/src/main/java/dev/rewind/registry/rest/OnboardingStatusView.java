package dev.rewind.registry.rest;

import dev.rewind.registry.OnboardingStep;
import dev.rewind.registry.OnboardingStepState;
import dev.rewind.registry.service.OnboardingProgress;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The body of GET /servers/{id}/onboarding-status (shared/reference/servers-api.txt).
 *
 * @param currentStep     the step being executed; null once the server is active
 * @param steps           every step in onboarding order, with status (pending | started | completed | failed) and timing
 * @param error           the error of the first failed step, if any
 * @param agentOutboundIp the IP to whitelist; only while the current step is awaiting_firewall, otherwise null
 */
public record OnboardingStatusView(UUID serverId, String currentStep, List<StepView> steps, String error,
        String agentOutboundIp) {

    /** A step that was not reported yet. */
    public static final String PENDING = "pending";

    /**
     * One step. {@code completed_at} is set when the step completed, {@code failed_at} when its latest attempt
     * failed; {@code attempt} is null while pending.
     */
    public record StepView(String step, String status, Integer attempt, OffsetDateTime startedAt,
            OffsetDateTime completedAt, OffsetDateTime failedAt, String error) {
    }

    public static OnboardingStatusView of(OnboardingProgress progress, String agentOutboundIp) {
        Map<OnboardingStep, OnboardingStepState> recorded = progress.steps().stream()
                .collect(Collectors.toMap(row -> row.step, Function.identity()));
        List<StepView> steps = new ArrayList<>();
        String error = null;
        for (OnboardingStep step : OnboardingStep.values()) {
            OnboardingStepState row = recorded.get(step);
            if (row == null) {
                steps.add(new StepView(step.name(), PENDING, null, null, null, null, null));
                continue;
            }
            steps.add(new StepView(step.name(), row.status.name(), row.attempt, row.startedAt, row.completedAt, row.failedAt, row.error));
            if (error == null && row.error != null) {
                error = row.error;
            }
        }
        String current = progress.server().onboardingStep;
        return new OnboardingStatusView(progress.server().id, current, steps, error,
                OnboardingStep.awaiting_firewall.name().equals(current) ? agentOutboundIp : null);
    }
}
