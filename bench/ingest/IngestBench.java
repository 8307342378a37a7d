import dev.rewind.pitr.binlog.BinlogPosition;
import dev.rewind.pitr.binlog.BinlogStreamer;
import dev.rewind.pitr.binlog.IndexSink;
import dev.rewind.pitr.binlog.IngestBudget;
import dev.rewind.pitr.binlog.SchemaSnapshot;
import dev.rewind.pitr.binlog.SourceConnection;
import dev.rewind.pitr.binlog.SourceInspector;
import dev.rewind.pitr.binlog.SourceTransaction;
import dev.rewind.pitr.binlog.StreamListener;
import dev.rewind.pitr.index.IndexWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * bench/ingest harness: pitr-service's own streamer (reader + parser stage, bounded queue, writer stage) against a
 * real source and the real index database, outside the service so that nothing else competes.
 *
 * replay FILE POS END_FILE END_POS : the same binlog range twice — parsed with no sink, then indexed into PostgreSQL
 * live SECONDS                     : streams live from the binlog's end into the index for SECONDS and reports the lag
 */
public class IngestBench {

    static final String HOST = env("REWIND_MYSQL8_HOST", "127.0.0.1");
    static final int PORT = Integer.parseInt(env("REWIND_MYSQL8_PORT", "3308"));
    static final SourceConnection SOURCE = new SourceConnection(HOST, PORT, env("REWIND_SOURCE_USER", "rewind"),
            env("REWIND_SOURCE_PASSWORD", "rewind"));

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl("jdbc:postgresql://" + env("REWIND_DB_HOST", "127.0.0.1") + ":" + env("REWIND_DB_PORT", "5432") + "/pitr_service");
        pg.setUser(env("REWIND_DB_USER", "rewind"));
        pg.setPassword(env("REWIND_DB_PASSWORD", "rewind"));
        SourceInspector inspector = new SourceInspector(SOURCE);
        SchemaSnapshot snapshot = inspector.snapshot();
        if (args[0].equals("replay")) {
            BinlogPosition from = new BinlogPosition(args[1], Long.parseLong(args[2]));
            BinlogPosition to = new BinlogPosition(args[3], Long.parseLong(args[4]));
            Result parse = replay(from, to, snapshot, inspector, batch -> { });
            System.out.printf("raw parse (no sink):   %,d row events in %,d transactions, %.2f s -> %,.0f row events/s"
                    + " (%.1f CPU s in this JVM: %,.0f row events per CPU s)%n",
                    parse.rows, parse.transactions, parse.seconds, parse.rows / parse.seconds, parse.cpuSeconds, parse.rows / parse.cpuSeconds);
            UUID server = UUID.randomUUID();
            init(pg, server, from, inspector);
            try {
                Result index = replay(from, to, snapshot, inspector, new IndexWriter(pg, server, false));
                System.out.printf("indexed (PostgreSQL): %,d row events in %,d transactions, %.2f s -> %,.0f row events/s"
                        + " (%.1f CPU s in this JVM, PostgreSQL's not counted)%n",
                        index.rows, index.transactions, index.seconds, index.rows / index.seconds, index.cpuSeconds);
                System.out.printf("indexed / raw parse:  %.2f%n", (index.rows / index.seconds) / (parse.rows / parse.seconds));
                System.out.printf("batches: %,d, mean %.0f rows per write%n", index.batches, (double) index.rows / index.batches);
            } finally {
                cleanup(pg, server);
            }
        } else {
            int seconds = Integer.parseInt(args[1]);
            UUID server = UUID.randomUUID();
            BinlogPosition from = inspector.currentPosition();
            init(pg, server, from, inspector);
            List<Double> lags = Collections.synchronizedList(new ArrayList<>());
            AtomicLong rows = new AtomicLong();
            CountDownLatch connected = new CountDownLatch(1);
            StreamListener listener = new StreamListener() {
                public void connected() { connected.countDown(); }
                public void failed(String reason) { System.err.println("stream failed: " + reason); }
                public void written(int transactions, int r, Instant first, Instant last) {
                    rows.addAndGet(r);
                    lags.add((System.currentTimeMillis() - first.toEpochMilli()) / 1000.0);
                }
            };
            BinlogStreamer streamer = new BinlogStreamer("bench-live", SOURCE, from, snapshot, () -> snapshotOf(inspector),
                    new IndexWriter(pg, server, false), listener, settings(), BUDGET);
            streamer.start();
            connected.await(30, TimeUnit.SECONDS);
            System.out.println("LIVE-READY");
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double elapsed = (System.nanoTime() - start) / 1e9;
            streamer.stop(Duration.ofSeconds(30));
            try {
                List<Double> sorted = new ArrayList<>(lags);
                Collections.sort(sorted);
                System.out.printf("live: %,d row events indexed in %.1f s -> %,.0f row events/s%n", rows.get(), elapsed, rows.get() / elapsed);
                if (!sorted.isEmpty()) {
                    System.out.printf("lag (source commit -> index commit, per write): p50 %.3f s, p99 %.3f s, max %.3f s over %d writes%n",
                            pct(sorted, 0.50), pct(sorted, 0.99), sorted.get(sorted.size() - 1), sorted.size());
                }
            } finally {
                cleanup(pg, server);
            }
        }
    }

    record Result(long rows, long transactions, long batches, double seconds, double cpuSeconds) {
    }

    /** CPU seconds this JVM used so far (all threads): a figure the machine's other load does not bend. */
    static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    static Result replay(BinlogPosition from, BinlogPosition to, SchemaSnapshot snapshot, SourceInspector inspector, IndexSink sink)
            throws Exception {
        AtomicLong rows = new AtomicLong();
        AtomicLong transactions = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        long target = to.seq();
        IndexSink counting = batch -> {
            sink.write(batch);
            batches.incrementAndGet();
            for (SourceTransaction t : batch) {
                if (!t.complete()) {
                    continue; // a chunk of a large transaction: counted at its commit
                }
                rows.addAndGet(t.totalRows());
                transactions.incrementAndGet();
                if (t.endSeq() >= target) {
                    done.countDown();
                }
            }
        };
        BinlogStreamer streamer = new BinlogStreamer("bench-replay", SOURCE, from, snapshot, () -> snapshotOf(inspector), counting,
                new StreamListener() {
                    public void connected() { }
                    public void failed(String reason) { System.err.println("stream failed: " + reason); done.countDown(); }
                }, settings(), BUDGET);
        long start = System.nanoTime();
        double cpuStart = cpu();
        streamer.start();
        done.await(30, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = cpu() - cpuStart;
        streamer.stop(Duration.ofSeconds(30));
        return new Result(rows.get(), transactions.get(), batches.get(), seconds, cpuSeconds);
    }

    static BinlogStreamer.Settings settings() {
        return new BinlogStreamer.Settings(1_500_000_000L + (long) (Math.random() * 100_000_000), 2000, 5000, 5000,
                8L << 20, 32L << 20, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    /** pitr-service's default budget shared by its streams. */
    static final IngestBudget BUDGET = new IngestBudget(64L << 20);

    static SchemaSnapshot snapshotOf(SourceInspector inspector) {
        try {
            return inspector.snapshot();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void init(PGSimpleDataSource pg, UUID server, BinlogPosition from, SourceInspector inspector) throws Exception {
        try (Connection c = pg.getConnection(); PreparedStatement ps = c.prepareStatement("insert into stream_checkpoint "
                + "(server_id, binlog_file, binlog_pos, gtid_set, source_identity, updated_at) values (?, ?, ?, ?, ?, now())")) {
            SourceInspector.ServerInfo info = inspector.info();
            ps.setObject(1, server);
            ps.setString(2, from.file());
            ps.setLong(3, from.position() - 1); // the first transaction ends after `from`
            ps.setString(4, info.gtidSet());
            ps.setString(5, info.identity());
            ps.executeUpdate();
        }
    }

    static void cleanup(PGSimpleDataSource pg, UUID server) throws Exception {
        try (Connection c = pg.getConnection()) {
            for (String table : List.of("row_event", "row_event_day", "stream_checkpoint", "schema_snapshot")) {
                try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where server_id = ?")) {
                    ps.setObject(1, server);
                    ps.executeUpdate();
                }
            }
        }
    }

    static double pct(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
