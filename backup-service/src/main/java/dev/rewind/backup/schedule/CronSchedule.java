package dev.rewind.backup.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/** A 5-field (Unix) cron expression evaluated in UTC, e.g. {@code 0 2 * * *}. Uses cron-utils (brought by quarkus-scheduler). */
public final class CronSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final ExecutionTime executionTime;

    private CronSchedule(Cron cron) {
        this.executionTime = ExecutionTime.forCron(cron);
    }

    /**
     * Parses a 5-field cron.
     *
     * @throws IllegalArgumentException with a readable reason when it is not one, or never fires
     */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        String text = expression.trim().replaceAll("\\s+", " ");
        if (text.split(" ").length != 5) {
            throw new IllegalArgumentException("must have 5 fields (minute hour day-of-month month day-of-week), e.g. 0 2 * * *");
        }
        CronSchedule schedule;
        try {
            schedule = new CronSchedule(PARSER.parse(text).validate());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid cron expression: " + e.getMessage());
        }
        if (schedule.nextAfter(OffsetDateTime.now(ZoneOffset.UTC)).isEmpty()) {
            throw new IllegalArgumentException("never fires");
        }
        return schedule;
    }

    /** The first due time strictly after {@code time}, in UTC. */
    public Optional<OffsetDateTime> nextAfter(OffsetDateTime time) {
        ZonedDateTime utc = time.atZoneSameInstant(ZoneOffset.UTC);
        return executionTime.nextExecution(utc).map(ZonedDateTime::toOffsetDateTime);
    }

    /**
     * The most times it fires within one clock hour over the next day (UTC), from {@code from}: {@code 0 3 * * *} is 1,
     * {@code 0,30 * * * *} is 2, {@code * * * * *} is 60. A cron whose day-of-week or day-of-month keeps it quiet
     * today counts the hours of its next firing day.
     */
    public int peakPerHour(OffsetDateTime from) {
        Optional<OffsetDateTime> first = nextAfter(from);
        if (first.isEmpty()) {
            return 0;
        }
        OffsetDateTime start = first.get().minusSeconds(1);
        OffsetDateTime end = start.plusDays(1);
        java.util.Map<Long, Integer> perHour = new java.util.HashMap<>();
        int peak = 0;
        for (Optional<OffsetDateTime> next = nextAfter(start); next.isPresent() && next.get().isBefore(end);
                next = nextAfter(next.get())) {
            long hour = next.get().toEpochSecond() / 3600;
            peak = Math.max(peak, perHour.merge(hour, 1, Integer::sum));
        }
        return peak;
    }
}
