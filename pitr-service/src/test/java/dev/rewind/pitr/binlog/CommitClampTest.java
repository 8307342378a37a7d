package dev.rewind.pitr.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A commit time is what the source says, kept between the previous commit and now plus the clock skew allowed. */
class CommitClampTest {

    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    static final Instant PREVIOUS = Instant.parse("2026-12-04T11:59:00Z");

    @Test
    void anOrdinaryCommitTimeIsKept() {
        Instant raw = Instant.parse("2026-12-04T11:59:30.123456Z");
        assertEquals(raw, BinlogStreamer.clampCommit(raw, PREVIOUS, NOW));
        assertEquals(raw, BinlogStreamer.clampCommit(raw, null, NOW));
    }

    @Test
    void aTimeBeforeThePreviousCommitIsThePreviousCommits() {
        assertEquals(PREVIOUS, BinlogStreamer.clampCommit(Instant.parse("1971-01-01T00:00:00Z"), PREVIOUS, NOW));
    }

    @Test
    void aTimeFarInTheFutureIsThePreviousCommitsSoTheNextOnesKeepTheirOwn() {
        assertEquals(PREVIOUS, BinlogStreamer.clampCommit(Instant.parse("2037-12-31T00:00:00Z"), PREVIOUS, NOW));
        Instant slightlyAhead = NOW.plus(BinlogStreamer.CLOCK_SKEW).minusSeconds(1); // a source clock a little fast
        assertEquals(slightlyAhead, BinlogStreamer.clampCommit(slightlyAhead, PREVIOUS, NOW));
        assertEquals(NOW, BinlogStreamer.clampCommit(Instant.parse("2037-12-31T00:00:00Z"), null, NOW));
    }
}
