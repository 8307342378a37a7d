package dev.rewind.registry;

import java.util.Optional;

/**
 * The steps of a server's onboarding, in the order they run. pitr-service does the work of each and reports it
 * ({@code onboarding.step}); server-registry records them. Stored and sent on the wire in lower case.
 */
public enum OnboardingStep {
    /** A pitr-service instance took ownership of the server. */
    provisioning,
    /** ssh_tunnel servers wait for the customer to whitelist Rewind's outbound IP (confirm-firewall). */
    awaiting_firewall,
    /** The binlog streamer is starting. */
    waiting_for_agent,
    /** Index storage for the server is created. */
    initializing,
    /** The schema (tables, columns, keys) is captured. */
    snapshotting,
    /** The binlog stream is live: when this step completes, the server is active. */
    streaming;

    public static final OnboardingStep FIRST = provisioning;

    /** The step of that name, if it is one. */
    public static Optional<OnboardingStep> of(String name) {
        for (OnboardingStep step : values()) {
            if (step.name().equals(name)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }

    /** Whether a server of this connection method goes through the step (awaiting_firewall is for ssh_tunnel only). */
    public boolean appliesTo(ConnectionMethod method) {
        return this != awaiting_firewall || method == ConnectionMethod.ssh_tunnel;
    }

    /** The step after this one for a server of that method; empty after streaming. */
    public Optional<OnboardingStep> next(ConnectionMethod method) {
        for (int i = ordinal() + 1; i < values().length; i++) {
            if (values()[i].appliesTo(method)) {
                return Optional.of(values()[i]);
            }
        }
        return Optional.empty();
    }
}
