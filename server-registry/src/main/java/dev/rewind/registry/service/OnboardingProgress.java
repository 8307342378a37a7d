package dev.rewind.registry.service;

import dev.rewind.registry.OnboardingStepState;
import dev.rewind.registry.Server;
import java.util.List;

/** A server with its recorded onboarding steps, in onboarding order. */
public record OnboardingProgress(Server server, List<OnboardingStepState> steps) {
}
