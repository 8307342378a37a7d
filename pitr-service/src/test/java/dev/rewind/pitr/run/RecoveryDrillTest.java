package dev.rewind.pitr.run;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.Baselines;
import dev.rewind.pitr.support.DrillWorkload;
import dev.rewind.pitr.support.Restores;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The recovery drill: a random schema (foreign keys with cascades, a composite key, a keyless table with duplicate
 * rows, columns of many types) and a random workload of inserts, updates, deletes, re-keys, REPLACEs, multi-table and
 * rolled-back transactions, with ALTER TABLE and TRUNCATE between its phases, all from one seed. After each phase the
 * truth is read at a second nobody writes in; then every one of those targets is recovered through the API, restored
 * with myloader, and compared with its truth row for row, on both sources.
 *
 * <p>The suite runs a small, seed-pinned drill; {@code bench/drill/run} runs it large through the system properties
 * {@code rewind.drill.seed}, {@code rewind.drill.targets} (per source), {@code rewind.drill.rows} (initial rows per
 * table) and {@code rewind.drill.transactions} (per phase). Every mismatch is reported with the seed that replays it;
 * a summary per source goes to {@code target/drill/<source>.txt}.
 */
@QuarkusTest
class RecoveryDrillTest {

    static final long SEED = Long.getLong("rewind.drill.seed", 20261204L);
    static final int TARGETS = Integer.getInteger("rewind.drill.targets", 4);
    static final int ROWS = Integer.getInteger("rewind.drill.rows", 20);
    static final int TRANSACTIONS = Integer.getInteger("rewind.drill.transactions", 12);

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Inject
    PitrStorage storage;

    record Target(int phase, OffsetDateTime at, Map<String, List<String>> truth) {
    }

    @ParameterizedTest
    @EnumSource(Sources.class)
    void everyRandomTargetRestoresEqualToTheTruth(Sources source) throws Exception {
        long seed = SEED + source.ordinal();
        long started = System.nanoTime();
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, source, "acme");
        String schema = source.createSchema();
        DrillWorkload workload = new DrillWorkload(seed);
        List<String> mismatches = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        Map<String, List<String>> atBaseline;
        try {
            try (Connection c = source.root(); Statement s = c.createStatement()) {
                s.execute("use " + schema);
                workload.create(s, ROWS);
                atBaseline = contents(c, schema, workload);
            }
            Baselines.Baseline baseline = Baselines.take(storage, source, server, schema);
            await().atMost(Duration.ofSeconds(30)).until(() -> PitrCorrectnessTest.coverage(server).getList("baselines.backup_id")
                    .contains(baseline.backupId().toString()));

            Random lengths = new Random(seed * 31);
            try (Connection c = source.root(); Statement s = c.createStatement()) {
                s.execute("use " + schema);
                for (int phase = 1; phase <= TARGETS; phase++) {
                    // the phases differ in length, so the targets fall at random points of the workload
                    workload.phase(c, 1 + lengths.nextInt(2 * TRANSACTIONS), 0.5);
                    PitrCorrectnessTest.sleepIntoNextSecond(150);
                    Map<String, List<String>> truth = contents(c, schema, workload);
                    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
                    targets.add(new Target(phase, at, truth));
                    PitrCorrectnessTest.sleepIntoNextSecond(30);
                }
                workload.phase(c, TRANSACTIONS, 0.5); // changes after the last target, which no recovery may hold
            }

            for (Target target : targets) {
                List<String> tables = List.copyOf(target.truth().keySet());
                Map<String, List<String>> rebuilt = PitrCorrectnessTest.pitr(storage, source, server, schema, target.at(), tables);
                for (String table : tables) {
                    List<String> want = target.truth().get(table);
                    List<String> got = rebuilt.get(table);
                    if (!want.equals(got)) {
                        mismatches.add(describe(source, seed, target, table, want, got));
                    }
                }
            }
            long rows = targets.stream().flatMap(t -> t.truth().values().stream()).mapToLong(List::size).sum();
            String summary = "source=" + source + " seed=" + seed + " child_rule=" + workload.childRule() + " targets="
                    + targets.size() + " mismatches=" + mismatches.size() + " statements=" + workload.statements + " ddl="
                    + workload.ddl + " rows_compared=" + rows + " seconds=" + (System.nanoTime() - started) / 1_000_000_000L;
            Path report = Path.of("target", "drill", source.name().toLowerCase() + ".txt");
            Files.createDirectories(report.getParent());
            Files.writeString(report, summary + "\n" + String.join("\n", mismatches) + "\n");
            System.out.println("recovery drill: " + summary);
            assertThat("the workload wrote statements and schema changes", workload.statements, greaterThan(20L * TARGETS));
            Map<String, List<String>> last = targets.get(targets.size() - 1).truth();
            long changed = atBaseline.keySet().stream().filter(t -> !atBaseline.get(t).equals(last.get(t))).count();
            assertThat("tables the workload changed between the baseline and the last target", changed, greaterThanOrEqualTo(3L));
            assertThat("mismatches (replay with -Drewind.drill.seed=" + SEED + ")", mismatches, empty());
        } finally {
            source.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    private static Map<String, List<String>> contents(Connection c, String schema, DrillWorkload workload) throws Exception {
        Map<String, List<String>> contents = new LinkedHashMap<>();
        try (Statement s = c.createStatement()) {
            s.execute("start transaction with consistent snapshot");
            for (DrillWorkload.Table t : workload.tables) {
                contents.put(t.name, Restores.rows(c, schema, t.name));
            }
            s.execute("commit");
        }
        return contents;
    }

    /** The first rows that differ, both ways, with what replays the target. */
    private static String describe(Sources source, long seed, Target target, String table, List<String> want, List<String> got) {
        List<String> missing = new ArrayList<>(want);
        List<String> extra = new ArrayList<>(got == null ? List.of() : got);
        for (String row : got == null ? List.<String>of() : got) {
            missing.remove(row);
        }
        for (String row : want) {
            extra.remove(row);
        }
        return source + " seed " + seed + " target " + target.phase() + " (" + target.at() + ") table " + table + ": expected "
                + want.size() + " rows, got " + (got == null ? "no table" : got.size()) + "; missing "
                + missing.subList(0, Math.min(3, missing.size())) + "; unexpected " + extra.subList(0, Math.min(3, extra.size()));
    }
}
