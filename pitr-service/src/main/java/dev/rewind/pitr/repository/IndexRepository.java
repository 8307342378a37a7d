package dev.rewind.pitr.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.pitr.binlog.BinlogPosition;
import dev.rewind.pitr.binlog.SchemaSnapshot;
import dev.rewind.pitr.rest.PitrRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Reads of the row-event index and the stream bookkeeping (plain SQL: the index is no entity). */
@ApplicationScoped
public class IndexRepository {

    private static final ObjectMapper SNAPSHOT_JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<SchemaSnapshot.Table>> SNAPSHOT_TABLES = new TypeReference<>() {
    };

    private final Pool pool;

    public IndexRepository(Pool pool) {
        this.pool = pool;
    }

    /** The window of indexed events of a server and whether its stream is live. */
    public record Window(OffsetDateTime oldest, OffsetDateTime latest, long total, String state) {
    }

    public Uni<Window> window(UUID serverId) {
        return pool.preparedQuery("""
                select (select min(commit_time) from row_event where server_id = $1) as oldest,
                       (select max(commit_time) from row_event where server_id = $1) as latest,
                       (select coalesce(sum(events), 0) from row_event_day where server_id = $1) as total,
                       (select case when state = 'streaming' and state_at < now() - interval '2 minutes' then 'stale'
                               else state end from stream_status where server_id = $1) as state""")
                .execute(Tuple.of(serverId))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Window(r.getOffsetDateTime("oldest"), r.getOffsetDateTime("latest"), r.getLong("total"),
                            r.getString("state"));
                });
    }

    /** Where a GTID or binlog-place target is: the commit time to recover to and the last binlog place included. */
    public record Resolved(OffsetDateTime time, long lastSeq) {
    }

    /**
     * Waits, at most {@code patience}, until the stream has indexed the target place: for a binlog position, until
     * its checkpoint is at or past it; for a GTID, until its transaction is known. A place just committed on the
     * source is then resolved as the transaction it is, not as an earlier one the index already held. Completes on
     * the caller's Vert.x context; completes (it does not fail) when the patience runs out.
     */
    public Uni<Void> awaitIndexed(UUID serverId, PitrRequest.Place place, java.time.Duration patience) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        java.util.concurrent.Executor onContext = context == null ? Runnable::run
                : task -> context.runOnContext(ignored -> task.run());
        return awaitIndexed(serverId, place, System.nanoTime() + patience.toNanos(), onContext);
    }

    private Uni<Void> awaitIndexed(UUID serverId, PitrRequest.Place place, long deadline, java.util.concurrent.Executor onContext) {
        Uni<Boolean> reached = place.gtid() != null
                ? resolve(serverId, place).map(resolved -> resolved != null)
                : pool.preparedQuery("select binlog_file, binlog_pos from stream_checkpoint where server_id = $1")
                        .execute(Tuple.of(serverId))
                        .map(rows -> rows.size() > 0 && BinlogPosition.seq(rows.iterator().next().getString("binlog_file"),
                                rows.iterator().next().getLong("binlog_pos")) >= BinlogPosition.seq(place.file(), place.position()));
        return reached.chain(done -> done || System.nanoTime() > deadline ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(java.time.Duration.ofMillis(250)).emitOn(onContext)
                        .chain(() -> awaitIndexed(serverId, place, deadline, onContext)));
    }

    /**
     * The commit time and binlog bound of a target place. For a GTID, its transaction (inclusive: up to its end;
     * exclusive: before its first row event, or before its end when it has none, a DDL or a GRANT). For a position,
     * the last transaction ending at or before it (exclusive: before it). Transactions are those of
     * {@code binlog_transaction}, every one the stream wrote; row events answer for those recorded before it existed.
     * Null when no transaction is known there.
     */
    public Uni<Resolved> resolve(UUID serverId, PitrRequest.Place place) {
        if (place.gtid() != null) {
            return pool.preparedQuery("""
                            select (select min(seq) from row_event where server_id = $1 and gtid = $2) as first,
                                   (select max(seq) from row_event where server_id = $1 and gtid = $2) as last,
                                   (select max(commit_time) from row_event where server_id = $1 and gtid = $2) as at,
                                   t.end_seq, t.commit_time
                              from (select 1) one
                              left join binlog_transaction t on t.server_id = $1 and t.gtid = $2""")
                    .execute(Tuple.of(serverId, place.gtid()))
                    .map(rows -> {
                        Row r = rows.iterator().next();
                        Long end = r.getLong("end_seq");
                        Long first = r.getLong("first");
                        if (end == null && r.getLong("last") == null) {
                            return null;
                        }
                        OffsetDateTime at = end != null ? r.getOffsetDateTime("commit_time") : r.getOffsetDateTime("at");
                        long inclusive = end != null ? end : r.getLong("last");
                        long exclusive = first != null ? first - 1 : end - 1;
                        return new Resolved(at, place.inclusive() ? inclusive : exclusive);
                    });
        }
        long seq = BinlogPosition.seq(place.file(), place.position());
        long bound = place.inclusive() ? seq : seq - 1;
        // a transaction that ends at the position (where the next one's first event starts) is before it, either way
        return pool.preparedQuery("""
                        select commit_time, seq from (
                            (select commit_time, seq from row_event where server_id = $1 and seq <= $2 order by seq desc limit 1)
                            union all
                            (select commit_time, end_seq from binlog_transaction where server_id = $1 and end_seq <= $3
                              order by end_seq desc limit 1)) known
                         order by seq desc limit 1""")
                .execute(Tuple.of(serverId, bound, seq))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new Resolved(r.getOffsetDateTime("commit_time"), Math.max(bound, r.getLong("seq")));
                });
    }

    /** The server's schema snapshot in effect at a time: tables by {@code schema.table}, in name order. */
    public record Schema(int version, Map<String, SchemaSnapshot.Table> tables) {
    }

    /**
     * The snapshot in effect at a target: the latest one taken at or before {@code at}, or made for a DDL statement
     * committed by then (a snapshot is written when the stream reads the statement, which can be well after its commit,
     * and MariaDB's commit times have whole seconds). With {@code lastSeq} (a GTID or binlog-place target, else
     * {@link Long#MAX_VALUE}) a snapshot with a binlog place counts when that place is at or before it. The first
     * snapshot when none counts (onboarding took it after the oldest event of the window); null when there is none.
     */
    public Uni<Schema> schemaAt(UUID serverId, OffsetDateTime at, long lastSeq) {
        return pool.preparedQuery("""
                with candidate as (
                    select s.version, s.tables,
                        (s.binlog_file is not null and $3 <> 9223372036854775807
                            and ((substring(s.binlog_file from '[.]([0-9]+)$')::bigint << 32) | s.binlog_pos) <= $3)
                        or (($3 = 9223372036854775807 or s.binlog_file is null) and s.taken_at <= $2)
                        or exists (select 1 from ddl_event d where d.server_id = s.server_id and d.snapshot_version = s.version
                                   and d.commit_time <= $2 and d.seq <= $3) as in_effect
                    from schema_snapshot s where s.server_id = $1)
                select version, tables::text as tables from candidate
                order by in_effect desc, case when in_effect then version else -version end desc limit 1""")
                .execute(Tuple.of(serverId, at, lastSeq))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    try {
                        List<SchemaSnapshot.Table> tables = SNAPSHOT_JSON.readValue(r.getString("tables"), SNAPSHOT_TABLES);
                        Map<String, SchemaSnapshot.Table> byName = new TreeMap<>();
                        for (SchemaSnapshot.Table t : tables) {
                            byName.put(t.schema() + "." + t.name(), t);
                        }
                        return new Schema(r.getInteger("version"), byName);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("schema snapshot " + r.getInteger("version") + " of server " + serverId
                                + " is not readable: " + e.getOriginalMessage(), e);
                    }
                });
    }

    /** A filter of row history; null fields do not filter. */
    public record EventQuery(UUID serverId, String schema, String table, String pkJson, String pkValue, OffsetDateTime since,
            OffsetDateTime until, String gtid, String op, int limit) {
    }

    public record EventRow(OffsetDateTime commitTime, String gtid, String binlogFile, long binlogPosition, int rowIndex,
            String schema, String table, String op, String pk, String before, String after) {
    }

    public Uni<List<EventRow>> events(EventQuery q) {
        StringBuilder sql = new StringBuilder("select commit_time, gtid, binlog_file, binlog_pos, row_index, schema_name, table_name, "
                + "op, pk::text as pk, before_image::text as before_image, after_image::text as after_image from row_event where server_id = $1");
        List<Object> args = new ArrayList<>();
        args.add(q.serverId());
        if (q.schema() != null) {
            args.add(q.schema());
            sql.append(" and schema_name = $").append(args.size());
        }
        if (q.table() != null) {
            args.add(q.table());
            sql.append(" and table_name = $").append(args.size());
        }
        if (q.pkJson() != null) {
            args.add(q.pkJson());
            sql.append(" and pk = cast(cast($").append(args.size()).append(" as text) as jsonb)");
        }
        if (q.pkValue() != null) {
            // a single-column key given as its value: ?pk=42 or ?pk=abc
            args.add(q.pkValue());
            sql.append(" and (select count(*) from jsonb_object_keys(pk)) = 1 and exists (select 1 from jsonb_each_text(pk) k where k.value = $")
                    .append(args.size()).append(")");
        }
        if (q.since() != null) {
            args.add(q.since());
            sql.append(" and commit_time >= $").append(args.size());
        }
        if (q.until() != null) {
            args.add(q.until());
            sql.append(" and commit_time <= $").append(args.size());
        }
        if (q.gtid() != null) {
            args.add(q.gtid());
            sql.append(" and gtid = $").append(args.size());
        }
        if (q.op() != null) {
            args.add(q.op());
            sql.append(" and op = $").append(args.size());
        }
        args.add(q.limit());
        sql.append(" order by commit_time desc, seq desc, row_index desc limit $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
            List<EventRow> result = new ArrayList<>();
            for (Row r : rows) {
                result.add(new EventRow(r.getOffsetDateTime("commit_time"), r.getString("gtid"), r.getString("binlog_file"),
                        r.getLong("binlog_pos"), r.getInteger("row_index"), r.getString("schema_name"), r.getString("table_name"),
                        r.getString("op"), r.getString("pk"), r.getString("before_image"), r.getString("after_image")));
            }
            return result;
        });
    }
}
