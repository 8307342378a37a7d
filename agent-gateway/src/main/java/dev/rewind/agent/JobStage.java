package dev.rewind.agent;

import java.util.Arrays;
import java.util.Optional;

/**
 * The stages of an agent job. A job only moves forward: each stage may skip later ones (an unencrypted backup
 * never passes through {@code encrypting}), {@code failed} may follow any unfinished stage, and
 * {@code completed} and {@code failed} are final.
 */
public enum JobStage {
    dumping(1), compressing(2), encrypting(3), uploading(4), completed(5), failed(5);

    public static final String NAMES = "dumping, compressing, encrypting, uploading, completed, failed";
    public static final String PATTERN = "dumping|compressing|encrypting|uploading|completed|failed";

    private final int order;

    JobStage(int order) {
        this.order = order;
    }

    public boolean isFinal() {
        return this == completed || this == failed;
    }

    /** Whether a job in this stage may move to {@code next} (a different stage). */
    public boolean canMoveTo(JobStage next) {
        return !isFinal() && (next == failed || next.order > order);
    }

    public static Optional<JobStage> parse(String name) {
        return Arrays.stream(values()).filter(s -> s.name().equals(name)).findFirst();
    }
}
