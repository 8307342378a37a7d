package dev.rewind.registry;

import java.util.Optional;

/** Where one onboarding step is, as pitr-service reports it. A step not reported yet is pending (no row). */
public enum StepStatus {
    started, completed, failed;

    /** The status of that name, if it is one. */
    public static Optional<StepStatus> of(String name) {
        for (StepStatus status : values()) {
            if (status.name().equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
