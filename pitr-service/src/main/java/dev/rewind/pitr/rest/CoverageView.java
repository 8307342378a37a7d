package dev.rewind.pitr.rest;

import dev.rewind.pitr.Baseline;
import dev.rewind.pitr.BinlogGap;
import dev.rewind.pitr.service.CoverageService;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The coverage window of the reference ({@code oldest_event, latest_event, total_events, available}) plus the gaps
 * inside it and the baselines PITR can start from.
 */
public record CoverageView(OffsetDateTime oldestEvent, OffsetDateTime latestEvent, long totalEvents, boolean available,
        List<GapView> gaps, List<BaselineView> baselines) {

    public record GapView(UUID id, String kind, OffsetDateTime start, OffsetDateTime end, String fromFile, Long fromPosition,
            String toFile, Long toPosition, String message, OffsetDateTime detectedAt) {
    }

    public record BaselineView(UUID backupId, OffsetDateTime completedAt, String binlogFile, Long binlogPosition, String gtidSet,
            String s3Path, Long sizeBytes) {
    }

    public static CoverageView of(CoverageService.Coverage c) {
        return new CoverageView(c.window().oldest(), c.window().latest(), c.window().total(),
                "streaming".equals(c.window().state()),
                c.gaps().stream().map(CoverageView::gap).toList(),
                c.baselines().stream().map(CoverageView::baseline).toList());
    }

    private static GapView gap(BinlogGap g) {
        return new GapView(g.id, g.kind, g.gapStart, g.gapEnd, g.fromFile, g.fromPos, g.toFile, g.toPos, g.message, g.detectedAt);
    }

    private static BaselineView baseline(Baseline b) {
        return new BaselineView(b.backupId, b.completedAt, b.binlogFile, b.binlogPosition, b.gtidSet, b.s3Path, b.sizeBytes);
    }
}
