package dev.rewind.agent.detection;

import java.util.List;
import java.util.Optional;

/**
 * Whether a completed backup is suspiciously small: its compressed size more than {@code dropRatio} below the
 * average of the database's previous runs (a table emptied, a dump cut short).
 */
public final class SizeCheck {

    /** The numbers behind a size anomaly. */
    public record Drop(long size, long average, int runs, int dropPercent) {
    }

    private SizeCheck() {
    }

    /**
     * @param size      the compressed size of the job just completed
     * @param previous  compressed sizes of the previous completed runs (newest first)
     * @param minRuns   fewer previous runs than this: no verdict
     * @param dropRatio e.g. 0.5: a size below half the average is a drop
     */
    public static Optional<Drop> check(long size, List<Long> previous, int minRuns, double dropRatio) {
        if (previous.size() < minRuns || previous.isEmpty()) {
            return Optional.empty();
        }
        double average = previous.stream().mapToLong(Long::longValue).average().orElse(0);
        if (average <= 0 || size >= average * (1 - dropRatio)) {
            return Optional.empty();
        }
        int dropPercent = (int) Math.round((1 - size / average) * 100);
        return Optional.of(new Drop(size, Math.round(average), previous.size(), dropPercent));
    }

    /** A size for people: 312 MB, 2.4 GB. */
    public static String human(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? bytes + " B" : (value >= 100 ? String.format("%.0f %s", value, units[unit]) : String.format("%.1f %s", value, units[unit]));
    }
}
