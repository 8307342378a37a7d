package dev.rewind.pitr.service;

import dev.rewind.commons.outbox.Outbox;
import dev.rewind.commons.outbox.OutgoingEvent;
import dev.rewind.pitr.BinlogGap;
import dev.rewind.pitr.binlog.BinlogPosition;
import dev.rewind.pitr.messaging.AnomalyEvent;
import dev.rewind.pitr.messaging.Topics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Records a gap in a server's index: the gap, its anomaly.detected event and the checkpoint moved past it commit
 * together, so a gap is reported once and the stream resumes where the source can serve it.
 */
@ApplicationScoped
public class GapService {

    private final Outbox outbox;

    public GapService(Outbox outbox) {
        this.outbox = outbox;
    }

    /** A gap and where the stream resumes after it. */
    public record Gap(UUID serverId, String tenant, String kind, Instant start, Instant end, BinlogPosition from,
            BinlogPosition to, String message, String newIdentity, String newGtidSet) {
    }

    @WithTransaction
    public Uni<BinlogGap> record(Gap gap) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        BinlogGap row = new BinlogGap();
        row.id = UUID.randomUUID();
        row.serverId = gap.serverId();
        row.tenant = gap.tenant();
        row.kind = gap.kind();
        row.gapStart = gap.start().atOffset(ZoneOffset.UTC);
        row.gapEnd = gap.end().atOffset(ZoneOffset.UTC);
        row.fromFile = gap.from() == null ? null : gap.from().file();
        row.fromPos = gap.from() == null ? null : gap.from().position();
        row.toFile = gap.to().file();
        row.toPos = gap.to().position();
        row.message = gap.message();
        row.detectedAt = now;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("gap_id", row.id);
        details.put("gap_kind", row.kind);
        details.put("gap_start", row.gapStart);
        details.put("gap_end", row.gapEnd);
        details.put("from_file", row.fromFile);
        details.put("from_position", row.fromPos);
        details.put("to_file", row.toFile);
        details.put("to_position", row.toPos);
        AnomalyEvent anomaly = new AnomalyEvent(UUID.randomUUID(), gap.tenant(), "binlog_gap", "critical", null,
                gap.serverId(), null, null, gap.message(), details, now);
        return row.<BinlogGap>persist()
                .call(() -> outbox.publish(new OutgoingEvent(Topics.ANOMALIES, gap.serverId().toString(), AnomalyEvent.TYPE,
                        gap.serverId().toString(), gap.tenant(), anomaly)))
                .call(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                                "update stream_checkpoint set binlog_file = ?1, binlog_pos = ?2, source_identity = ?3, "
                                        + "gtid_set = ?4, updated_at = now() where server_id = ?5")
                        .setParameter(1, gap.to().file())
                        .setParameter(2, gap.to().position())
                        .setParameter(3, gap.newIdentity())
                        .setParameter(4, gap.newGtidSet())
                        .setParameter(5, gap.serverId())
                        .executeUpdate()));
    }
}
