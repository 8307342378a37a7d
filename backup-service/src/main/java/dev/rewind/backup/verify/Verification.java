package dev.rewind.backup.verify;

import java.util.List;

/**
 * The outcome of a restore verification: {@code passed}, {@code failed} (the restore did not load or does not match
 * the source at dump time), {@code skipped} (not asked for, or no verification server of the source's kind) or
 * {@code error} (the verification server could not be used; nothing is known about the backup), a readable note,
 * and every check made.
 */
public record Verification(String status, String note, List<Check> checks) {

    public static final String PASSED = "passed";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";
    public static final String ERROR = "error";

    /** One check of one table: {@code row_count} or {@code schema_match}, passed or failed. */
    public record Check(String name, String table, String status, String expected, String actual) {

        static Check of(String name, String table, String expected, String actual) {
            return new Check(name, table, expected.equals(actual) ? PASSED : FAILED, expected, actual);
        }

        public boolean failed() {
            return FAILED.equals(status);
        }
    }

    public static Verification skipped(String note) {
        return new Verification(SKIPPED, note, List.of());
    }

    public static Verification error(String note) {
        return new Verification(ERROR, note, List.of());
    }

    public boolean failed() {
        return FAILED.equals(status);
    }
}
