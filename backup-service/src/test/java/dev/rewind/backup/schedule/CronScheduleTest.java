package dev.rewind.backup.schedule;

import static org.junit.jupiter.api.Assertions.*;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** How many backups a cron starts in its busiest hour: what the per-tenant hourly cap counts. */
class CronScheduleTest {

    static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-04T10:17:00Z");

    static int peak(String cron) {
        return CronSchedule.parse(cron).peakPerHour(NOW);
    }

    @Test
    void theBusiestHourOfTheDayCounts() {
        assertEquals(1, peak("0 3 * * *"));
        assertEquals(2, peak("0,30 * * * *"));
        assertEquals(60, peak("* * * * *"));
        assertEquals(12, peak("*/5 * * * *"));
        assertEquals(10, peak("0-9 5 * * *"));
        assertEquals(60, peak("* 5 * * *"), "a minute cron for one hour a day is 60 in that hour");
    }

    @Test
    void aCronQuietTodayCountsItsNextDay() {
        assertEquals(1, peak("0 3 * * 0"), "Sundays only");
        assertEquals(30, peak("*/2 4 1 * *"), "the first of the month");
    }
}
