package dev.rewind.pitr.run;

import dev.rewind.commons.work.Blocking;
import dev.rewind.pitr.PitrRun;
import dev.rewind.pitr.binlog.BinlogPosition;
import dev.rewind.pitr.binlog.SchemaSnapshot;
import dev.rewind.pitr.config.PitrConfig;
import dev.rewind.pitr.reconstruct.DataFile;
import dev.rewind.pitr.reconstruct.DumpMetadata;
import dev.rewind.pitr.reconstruct.DumpWriter;
import dev.rewind.pitr.reconstruct.MergeMemory;
import dev.rewind.pitr.reconstruct.Manifest;
import dev.rewind.pitr.reconstruct.MergeResult;
import dev.rewind.pitr.reconstruct.Cascades;
import dev.rewind.pitr.reconstruct.RowFate;
import dev.rewind.pitr.reconstruct.SchemaEvolution;
import dev.rewind.pitr.reconstruct.TableSchema;
import dev.rewind.pitr.reconstruct.WriterOptions;
import dev.rewind.pitr.service.PitrRunService;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Executes accepted PITR runs on its own threads: <b>preparing</b> (wait until the index has passed the target, check
 * the stream for gaps since the baseline, sort out the baseline's files in S3), <b>reconstructing</b> (per table: the
 * baseline's rows streamed from S3 merged with the indexed changes after the baseline's binlog position up to the
 * target), <b>uploading</b> (the dump and its manifest), then complete. Any failure removes what was written, locally
 * and in S3, and leaves the run failed with a readable error.
 */
@ApplicationScoped
public class PitrRunner {

    private static final DateTimeFormatter METADATA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /**
     * How long before the baseline's snapshot a change after its binlog position may be stamped: a commit time is the
     * source's clock when the transaction's statements ran (MariaDB: the statement's start), so a transaction open
     * across the snapshot carries an earlier time. A day covers any sane transaction and clock offset.
     */
    private static final Duration CHANGES_SLACK = Duration.ofDays(1);

    private final PitrRunService runs;
    private final IndexReader index;
    private final PitrStorage storage;
    private final PitrConfig.Runs config;
    private final String instance;
    private final ExecutorService runThreads;
    private final ExecutorService tableThreads;
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();

    public PitrRunner(PitrRunService runs, IndexReader index, PitrStorage storage, PitrConfig config) {
        this.runs = runs;
        this.index = index;
        this.storage = storage;
        this.config = config.runs();
        this.instance = config.instance().orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName());
        this.runThreads = Executors.newFixedThreadPool(this.config.maxConcurrent(), Blocking.daemonThreads("pitr-run"));
        this.tableThreads = Executors.newFixedThreadPool(this.config.tableThreads(), Blocking.daemonThreads("pitr-table"));
    }

    /** A run that cannot go on, with the reason a user reads. */
    static final class RunFailed extends Exception {
        RunFailed(String message) {
            super(message);
        }
    }

    /**
     * One table to rebuild.
     *
     * @param evolution its shapes from its baseline rows' to the target's
     * @param segments  where its changes are in the index (its names over time)
     */
    private record TableJob(String database, String table, TableSchema target, SchemaEvolution evolution,
            List<DataFile> baselineFiles, List<IndexReader.Segment> segments) {
    }

    /**
     * What preparing found: the tables to rebuild, the CREATE DATABASE of each of their databases, and the earliest
     * commit time a change after the baseline can have.
     */
    /**
     * @param baselineGtid the GTID set the baseline's dump recorded (null when none)
     * @param gapsAllowed  whether the stream had gaps between baseline and target that the run goes over
     */
    private record Prepared(List<TableJob> tables, Map<String, String> databases, OffsetDateTime changesFrom, CascadeChain chain,
            String baselineGtid, boolean gapsAllowed) {
    }

    public String instance() {
        return instance;
    }

    /** The runs this instance executes now (their heartbeats are written by the run job). */
    public Set<UUID> inFlight() {
        return Set.copyOf(inFlight);
    }

    public void submit(PitrPlan plan) {
        inFlight.add(plan.runId());
        try {
            runThreads.execute(() -> run(plan));
        } catch (RuntimeException e) {
            inFlight.remove(plan.runId());
            throw e;
        }
    }

    void run(PitrPlan plan) {
        Path work = config.workDir().resolve(plan.runId().toString());
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        String outPrefix = null;
        try {
            outPrefix = storage.ownedPrefix(plan.s3Path(), "pitr", plan.tenant(), plan.serverId());
            Prepared prepared = prepare(plan, notes);
            Blocking.await(() -> runs.enterPhase(plan.runId(), instance, "reconstructing"));
            DumpWriter out = DumpWriter.create(work.resolve("dump"), WriterOptions.defaults().withGzip(config.gzip()),
                    new MergeMemory(config.mergeMemory().asLongValue(), work.resolve("spill")));
            reconstruct(plan, prepared, out, notes);
            Blocking.await(() -> runs.enterPhase(plan.runId(), instance, "uploading"));
            IndexReader.OutputPlace at = index.outputPlace(plan.serverId(), new BinlogPosition(plan.baseline().binlogFile(),
                    plan.baseline().binlogPosition()), prepared.baselineGtid(), plan.target(), plan.targetSeq());
            String gtidSet = at.gtidSet();
            if (gtidSet != null && prepared.gapsAllowed()) {
                gtidSet = null;
                notes.add("metadata: no GTID set, as the transactions inside the gaps are unknown");
            } else if (gtidSet == null) {
                notes.add("metadata: no GTID set, as " + at.whyNoGtid());
            }
            String started = METADATA_TIME.format(OffsetDateTime.now(ZoneOffset.UTC));
            Manifest manifest = out.finish(new DumpMetadata(started, at.position().file(), at.position().position(), gtidSet,
                    METADATA_TIME.format(OffsetDateTime.now(ZoneOffset.UTC))));
            for (Manifest.Entry f : manifest.files()) {
                storage.upload(outPrefix + f.name(), out.directory().resolve(f.name()), contentType(f.name()));
            }
            Path manifestFile = out.directory().resolve(Manifest.FILE_NAME);
            storage.upload(outPrefix + Manifest.FILE_NAME, manifestFile, "application/json");
            long size = manifest.totalBytes() + Files.size(manifestFile);
            int count = manifest.fileCount() + 1;
            PitrRun done = Blocking.await(() -> runs.complete(plan.runId(), instance, size, count, List.copyOf(notes)));
            if (!"completed".equals(done.status) || !instance.equals(done.instance)) {
                // failed meanwhile, or taken for an orphan while this instance stalled: its output must not stay either
                storage.deleteAll(outPrefix);
                Log.warnf("PITR run %s finished after it had been failed (%s): its output was removed", plan.runId(),
                        done.errorMessage);
                return;
            }
            Log.infof("PITR run %s of server %s to %s completed in %d ms: %d tables, %d files, %d bytes, %s", plan.runId(),
                    plan.serverId(), plan.target(), done.durationMs, prepared.tables().size(), count, size, plan.s3Path());
        } catch (RunFailed | IllegalArgumentException e) {
            failed(plan, outPrefix, e.getMessage(), notes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(plan, outPrefix, "Interrupted: pitr-service is stopping", notes);
        } catch (Exception e) {
            Log.errorf(e, "PITR run %s failed unexpectedly", plan.runId());
            failed(plan, outPrefix, "PITR failed: " + Blocking.rootMessage(e), notes);
        } finally {
            Blocking.deleteTree(work);
            inFlight.remove(plan.runId());
        }
    }

    private Prepared prepare(PitrPlan plan, List<String> notes) throws Exception {
        waitForIndex(plan, notes);
        String basePrefix;
        try {
            basePrefix = storage.ownedPrefix(plan.baseline().s3Path(), "backups", plan.tenant(), plan.serverId());
        } catch (IllegalStateException e) {
            throw new RunFailed("The baseline backup " + plan.baseline().backupId() + " cannot be read: " + e.getMessage());
        }
        S3Baseline base;
        try {
            base = S3Baseline.open(storage, basePrefix);
        } catch (IOException e) {
            throw new RunFailed("The baseline backup " + plan.baseline().backupId() + " cannot be used: " + e.getMessage());
        }
        OffsetDateTime baselineTime = snapshotTime(base.metadata(), plan.baseline().completedAt());
        List<IndexReader.Gap> gaps = index.gaps(plan.serverId(), baselineTime, plan.target());
        if (!gaps.isEmpty()) {
            String described = String.join("; ", gaps.stream().map(IndexReader.Gap::toString).toList());
            if (!plan.allowGaps()) {
                throw new RunFailed("The binlog stream between the baseline (backup " + plan.baseline().backupId() + " at "
                        + baselineTime + ") and the target " + plan.target() + " has a gap: " + described + ". The changes "
                        + "inside it are unknown; run again with allow_gaps=true to rebuild without them");
            }
            notes.add("gaps allowed: changes inside these gaps are missing from the result: " + described);
        }
        TreeSet<String> databases = base.databases();
        long baselineSeq = new BinlogPosition(plan.baseline().binlogFile(), plan.baseline().binlogPosition()).seq();
        List<IndexReader.DdlRecord> ddl = new ArrayList<>(index.ddl(plan.serverId(), baselineSeq, plan.target()));
        ddl.removeIf(d -> d.seq() > plan.targetSeq());
        if (plan.place() != null) {
            notes.add("target " + plan.place() + ": changes committed up to " + plan.target() + " and at binlog places up to "
                    + "file number " + (plan.targetSeq() >>> 32) + ", position " + (plan.targetSeq() & 0xFFFFFFFFL));
        }
        Map<Integer, Map<String, SchemaSnapshot.Table>> snapshots = new HashMap<>();
        TableHistory.Snapshots versions = v -> {
            Map<String, SchemaSnapshot.Table> known = snapshots.get(v);
            if (known == null) {
                known = index.snapshot(plan.serverId(), v);
                snapshots.put(v, known);
            }
            return known;
        };
        List<TableJob> jobs = new ArrayList<>();
        for (String qualified : plan.tables()) {
            TableJob job = tableJob(plan, qualified, base, baselineSeq, ddl, versions, notes);
            if (job != null) {
                jobs.add(job);
            }
        }
        if (jobs.isEmpty()) {
            throw new RunFailed("Nothing to rebuild: the baseline backup " + plan.baseline().backupId()
                    + " holds none of the server's databases at the target");
        }
        Map<String, String> createDatabase = new LinkedHashMap<>();
        for (TableJob job : jobs) {
            if (!createDatabase.containsKey(job.database())) {
                String sql = base.createDatabaseSql(job.database());
                createDatabase.put(job.database(), sql != null ? sql
                        : "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `" + job.database().replace("`", "``") + "`");
            }
        }
        OffsetDateTime changesFrom = baselineTime.minus(CHANGES_SLACK);
        CascadeChain chain = new CascadeChain(index, plan.serverId(), changesFrom, plan.target(), qualified -> {
            TableJob job;
            try {
                job = tableJob(plan, qualified, base, baselineSeq, ddl, versions, new ArrayList<>());
            } catch (RunFailed e) {
                SchemaSnapshot.Table t = plan.schema().get(qualified);
                if (t == null || t.createSql() == null) {
                    return null;
                }
                TableSchema only = TableSchema.parse(t.createSql());
                return new CascadeChain.Source(only, SchemaEvolution.none(only), List.of(new IndexReader.Segment(
                        t.schema(), t.name(), baselineSeq, plan.targetSeq())), List.of());
            }
            return job == null ? null : new CascadeChain.Source(job.target(), job.evolution(), job.segments(), job.baselineFiles());
        });
        return new Prepared(jobs, createDatabase, changesFrom, chain, base.metadata().gtidSet(), !gaps.isEmpty());
    }

    private void reconstruct(PitrPlan plan, Prepared prepared, DumpWriter out, List<String> notes) throws Exception {
        List<TableJob> tables = prepared.tables();
        for (Map.Entry<String, String> db : prepared.databases().entrySet()) {
            out.writeDatabase(db.getKey(), db.getValue());
        }
        List<Future<MergeResult>> results = new ArrayList<>();
        for (TableJob job : tables) {
            results.add(tableThreads.submit(() -> {
                RowFate fate = cascades(prepared, job, notes);
                try (IndexReader.Changes changes = index.changes(plan.serverId(), job.segments(), prepared.changesFrom(),
                        plan.target(), job.evolution(), job.target())) {
                    return out.writeTable(job.database(), job.target(), job.evolution(), job.baselineFiles(), changes, fate);
                }
            }));
        }
        try {
            for (int i = 0; i < tables.size(); i++) {
                MergeResult r = results.get(i).get();
                String qualified = tables.get(i).database() + "." + tables.get(i).table();
                if (r.matchedOnFullRows()) {
                    notes.add(qualified + ": no primary key: rows matched on their full images");
                }
                for (String warning : r.warnings()) {
                    notes.add(qualified + ": " + warning);
                }
                Log.debugf("PITR run %s: %s %s", plan.runId(), qualified, r);
            }
            notes.addAll(prepared.chain().notes);
        } catch (ExecutionException e) {
            results.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw cause instanceof Exception ex ? ex : new IllegalStateException(cause);
        }
    }

    /** What the ALTERs, renames and TRUNCATEs after the baseline made of a table; null when it is skipped. */
    private TableJob tableJob(PitrPlan plan, String qualified, S3Baseline base, long baselineSeq, List<IndexReader.DdlRecord> ddl,
            TableHistory.Snapshots versions, List<String> notes) throws Exception {
        TreeSet<String> databases = base.databases();
        String database = qualified.substring(0, qualified.indexOf('.'));
        String table = qualified.substring(qualified.indexOf('.') + 1);
        TableHistory history = TableHistory.of(database, table, baselineSeq, ddl, versions,
                name -> {
                    try {
                        return base.hasTable(name) ? TableSchema.parse(base.createTableSql(name)) : null;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        String baselineDatabase = history.baselineName().substring(0, history.baselineName().indexOf('.'));
        boolean fromScratch = history.emptiedAt() != null || !base.hasTable(history.baselineName());
        if (!databases.contains(database) && !databases.contains(baselineDatabase)) {
            if (plan.allTables()) {
                notes.add(qualified + " skipped: the baseline backup does not hold database " + database);
                return null;
            }
            throw new RunFailed("The baseline backup " + plan.baseline().backupId() + " does not hold database " + database
                    + ", so " + qualified + " cannot be rebuilt from it");
        }
        SchemaSnapshot.Table snapshot = plan.schema().get(qualified);
        if (snapshot == null) {
            return null;
        }
        String createSql = snapshot.createSql();
        if (createSql == null) {
            if (fromScratch) {
                throw new RunFailed("No CREATE TABLE of " + qualified + " at the target is known (the schema snapshot "
                        + "predates their recording) and the baseline does not hold the table");
            }
            createSql = base.createTableSql(history.baselineName());
            notes.add(qualified + ": schema taken from the baseline (the schema snapshot at the target has no CREATE TABLE)");
        }
        TableSchema target = TableSchema.parse(createSql);
        if (!history.baselineName().equalsIgnoreCase(qualified)) {
            notes.add(qualified + ": was " + history.baselineName() + " at the baseline (renamed since)");
        }
        if (!history.steps().isEmpty()) {
            notes.add(qualified + ": rows carried across " + history.steps().size() + " schema change(s) after the baseline");
        }
        if (!fromScratch) {
            TableSchema first = TableSchema.parse(base.createTableSql(history.baselineName()));
            return new TableJob(database, table, target, evolution(first, history.steps(), target),
                    base.dataFiles(history.baselineName()), upTo(history.segments(), plan.targetSeq()));
        } else {
            notes.add(qualified + (history.emptiedAt() != null
                    ? ": emptied after the baseline (TRUNCATE or DROP TABLE): rebuilt from its changes since"
                    : ": not in the baseline (created after it): rebuilt from its indexed changes alone"));
            TableSchema first = history.first() != null ? history.first() : target;
            return new TableJob(database, table, target, evolution(first, history.steps(), target), List.of(),
                    upTo(history.segmentsFrom(), plan.targetSeq()));
        }
    }

    /** The segments cut at the last binlog place a GTID or position target includes. */
    private static List<IndexReader.Segment> upTo(List<IndexReader.Segment> segments, long lastSeq) {
        List<IndexReader.Segment> cut = new ArrayList<>();
        for (IndexReader.Segment s : segments) {
            if (s.afterSeq() < lastSeq) {
                cut.add(new IndexReader.Segment(s.schema(), s.table(), s.afterSeq(), Math.min(s.upToSeq(), lastSeq)));
            }
        }
        return cut.isEmpty() ? List.of(new IndexReader.Segment("", "", 0, 0)) : cut;
    }

    /** The shapes of a table's rows; the target's columns close them when the last known shape has others. */
    private static SchemaEvolution evolution(TableSchema first, List<SchemaEvolution.Step> steps, TableSchema target) {
        return steps.isEmpty() && TableHistory.sameShape(first, target) ? SchemaEvolution.none(target)
                : new SchemaEvolution(first, steps);
    }

    /**
     * What the foreign keys of the table did to its rows when their parents were deleted or re-keyed after the
     * baseline: the server writes no row events for those.
     */
    private RowFate cascades(Prepared prepared, TableJob job, List<String> notes) throws Exception {
        Cascades cascades = prepared.chain().of(job.database(), job.table(), job.target());
        if (!cascades.isNone()) {
            notes.add(job.database() + "." + job.table() + ": foreign key actions of " + cascades.size()
                    + " parent delete(s) or key change(s) applied (the server writes no row events for them)");
        }
        return cascades;
    }

    /**
     * A target just behind now may not be indexed yet: wait until an event after it is (then all before it are), at
     * most the configured time; a quiet server has no later event, which is then noted.
     */
    private void waitForIndex(PitrPlan plan, List<String> notes) throws Exception {
        long deadline = System.nanoTime() + config.catchUpWait().toNanos();
        while (!index.indexedPast(plan.serverId(), plan.target())) {
            if (System.nanoTime() > deadline) {
                notes.add("no change after the target was indexed within " + config.catchUpWait().toSeconds()
                        + " s: the result holds every change indexed up to the target");
                return;
            }
            Thread.sleep(250);
        }
    }

    /** When the baseline's snapshot was taken: mydumper's start time (UTC), or the backup's completion. */
    private static OffsetDateTime snapshotTime(DumpMetadata metadata, OffsetDateTime completedAt) {
        if (metadata.startedAt() != null) {
            try {
                return LocalDateTime.parse(metadata.startedAt(), METADATA_TIME).atOffset(ZoneOffset.UTC).minusSeconds(1);
            } catch (DateTimeParseException e) {
                Log.debugf("unreadable dump start time %s: using the completion time", metadata.startedAt());
            }
        }
        return completedAt;
    }

    /** Removes the run's partial output, then records the failure (the S3 prefix lies in the run's own folder). */
    void failed(PitrPlan plan, String outPrefix, String error, List<String> notes) {
        String message = error;
        if (outPrefix != null) {
            try {
                storage.deleteAll(outPrefix);
            } catch (RuntimeException e) {
                message = error + " (its partial output under " + plan.s3Path() + " could not be removed: " + e.getMessage() + ")";
            }
        }
        String recorded = message;
        try {
            Blocking.await(() -> runs.fail(plan.runId(), instance, recorded, List.copyOf(notes)));
        } catch (RuntimeException e) {
            Log.errorf("PITR run %s failed (%s) and could not be marked failed: %s", plan.runId(), recorded, e.getMessage());
        }
        Log.warnf("PITR run %s of server %s failed: %s", plan.runId(), plan.serverId(), recorded);
    }

    /** Removes scratch folders of runs that no longer run (left by a previous life of this instance). */
    public void removeLeftovers() {
        Path root = config.workDir();
        if (!Files.isDirectory(root)) {
            return;
        }
        List<UUID> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.forEach(d -> {
                try {
                    UUID id = UUID.fromString(d.getFileName().toString());
                    if (!inFlight.contains(id)) {
                        found.add(id);
                    }
                } catch (IllegalArgumentException e) {
                    // not a run's folder
                }
            });
        } catch (IOException e) {
            Log.warnf("could not list %s: %s", root, e.getMessage());
            return;
        }
        for (UUID id : Blocking.await(() -> runs.notRunning(found))) {
            Blocking.deleteTree(root.resolve(id.toString()));
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".gz")) {
            return "application/gzip";
        }
        return name.endsWith(".sql") ? "application/sql" : "text/plain";
    }

    @PreDestroy
    void stop() {
        runThreads.shutdownNow();
        tableThreads.shutdownNow();
    }

    /** How long ago a heartbeat counts as lost. */
    public Duration staleAfter() {
        return config.staleAfter();
    }
}
