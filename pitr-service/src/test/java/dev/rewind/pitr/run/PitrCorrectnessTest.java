package dev.rewind.pitr.run;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.Baselines;
import dev.rewind.pitr.support.Restores;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PITR promise, on each source: take a baseline, write (sysbench plus mixed inserts, updates and deletes on tables
 * of many column types, one without a primary key), record the true contents at a second T, keep writing, PITR to T,
 * restore the output with myloader: it equals the truth row for row. Then the same-second rule at a second boundary.
 */
@QuarkusTest
class PitrCorrectnessTest {

    static final List<String> TABLES = List.of("orders", "line", "audit", "sbtest1", "tick");

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Inject
    PitrStorage storage;

    @ParameterizedTest
    @EnumSource(Sources.class)
    void aTableRebuiltToASecondEqualsWhatItHeldThen(Sources source) throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, source, "acme");
        String schema = source.createSchema();
        try {
            source.execute("use " + schema,
                    "create table orders (id int auto_increment primary key, customer varchar(40) not null, amount decimal(12,2),"
                            + " status enum('new','paid','shipped','cancelled') not null, placed_at datetime(3), note text,"
                            + " flags bit(4), score double, tags set('a','b','c'), token varbinary(16), created date)",
                    "create table line (order_id int, line_no int, qty int unsigned, price decimal(8,2), primary key (order_id, line_no))",
                    "create table audit (kind varchar(20), val int)",
                    "create table tick (id int primary key, v int)",
                    "insert into tick values (1, 0)");
            sysbench(source, schema, "prepare", 0);
            Writer writer = new Writer(source, schema, 1);
            writer.burst(300);
            Map<String, List<String>> atBaseline = contents(source, schema);
            Baselines.Baseline baseline = Baselines.take(storage, source, server, schema);
            await().atMost(Duration.ofSeconds(30)).until(() -> coverage(server).getList("baselines.backup_id")
                    .contains(baseline.backupId().toString()));

            // writes after the baseline, then the truth at T in a second nobody writes in, then more writes
            writer.during(() -> sysbench(source, schema, "run", 4));
            sleepIntoNextSecond(300);
            Map<String, List<String>> truth = contents(source, schema);
            OffsetDateTime target = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            sleepIntoNextSecond(100);
            writer.during(() -> sysbench(source, schema, "run", 2));
            assertThat("the writes after the baseline include updates and deletes", writer.updates.get() > 50 && writer.deletes.get() > 20);
            for (String table : List.of("orders", "line", "audit", "sbtest1")) {
                assertThat(table + " changed between the baseline and T", truth.get(table), not(equalTo(atBaseline.get(table))));
            }
            assertThat(truth.get("sbtest1").size(), greaterThan(1900));
            assertThat(truth.get("orders").size(), greaterThan(50));

            Map<String, List<String>> rebuilt = pitr(storage, source, server, schema, target, TABLES.subList(0, 4));
            for (String table : TABLES.subList(0, 4)) {
                assertThat(table + " at " + target, rebuilt.get(table), equalTo(truth.get(table)));
            }

            // the same-second rule: v=1 committed in second A, v=2 in second A+1
            OffsetDateTime a = sleepIntoNextSecond(50);
            source.execute("update " + schema + ".tick set v = 1 where id = 1");
            sleepIntoNextSecond(50);
            source.execute("update " + schema + ".tick set v = 2 where id = 1");
            source.execute("insert into " + schema + ".audit values ('after', 1)"); // an event after both targets
            assertThat(pitr(storage, source, server, schema, a.plusNanos(999_000_000), List.of("tick")).get("tick"), contains("1|1"));
            // MariaDB's binlog carries whole seconds: a target resolves to the end of its second, so A+1.000 holds v=2;
            // MySQL 8 carries microseconds: A+1.000 is before the second update
            assertThat(pitr(storage, source, server, schema, a.plusSeconds(1), List.of("tick")).get("tick"),
                    contains(source == Sources.MARIADB ? "1|2" : "1|1"));
        } finally {
            source.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    /** Runs PITR to the target, restores its output into a fresh schema, and answers the restored tables' contents. */
    static Map<String, List<String>> pitr(PitrStorage storage, Sources source, ServerRegistryStub.Connection server, String schema,
            OffsetDateTime target, List<String> tables) throws Exception {
        return pitr(storage, source, server, schema, Map.of("target_time", target.toString()), tables);
    }

    /** As above, the target given by {@code target} (target_time, or target_gtid / target_position and inclusive). */
    static Map<String, List<String>> pitr(PitrStorage storage, Sources source, ServerRegistryStub.Connection server, String schema,
            Map<String, Object> target, List<String> tables) throws Exception {
        return output(storage, source, server, schema, target, tables).tables();
    }

    /** A completed PITR output: the restored tables' rows and its {@code metadata} file. */
    record Output(Map<String, List<String>> tables, dev.rewind.pitr.reconstruct.DumpMetadata metadata, List<String> notes) {
    }

    /** As {@link #pitr}, with the output's metadata and the run's notes. */
    static Output output(PitrStorage storage, Sources source, ServerRegistryStub.Connection server, String schema,
            Map<String, Object> target, List<String> tables) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>(target);
        body.put("tables", String.join(",", tables.stream().map(t -> schema + "." + t).toList()));
        String id = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType(ContentType.JSON)
                .body(body)
                .when().post("/servers/" + server.serverId() + "/pitr").then().log().ifValidationFails().statusCode(202)
                .extract().jsonPath().getString("pitr_id");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> !"running".equals(
                run(server, id).getString("status")));
        JsonPath run = run(server, id);
        assertThat(run.getString("error_message"), run.getString("status"), is("completed"));
        Path dump = Restores.download(storage, run.getString("s3_path").substring("s3://rewind-backups/".length()));
        String restored = schema + "_r";
        source.dropSchema(restored);
        try {
            Restores.myloader(source, dump, schema, restored);
            Map<String, List<String>> contents = new LinkedHashMap<>();
            try (Connection c = source.root()) {
                for (String table : tables) {
                    contents.put(table, Restores.rows(c, restored, table));
                }
            }
            return new Output(contents, dev.rewind.pitr.reconstruct.DumpMetadata.parse(
                    java.nio.file.Files.readString(dump.resolve("metadata"))), run.getList("notes", String.class));
        } finally {
            source.dropSchema(restored);
        }
    }

    private static JsonPath run(ServerRegistryStub.Connection server, String id) {
        return given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/servers/" + server.serverId() + "/pitr/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    static JsonPath coverage(ServerRegistryStub.Connection server) {
        return given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/servers/" + server.serverId() + "/pitr/coverage")
                .then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, List<String>> contents(Sources source, String schema) throws Exception {
        Map<String, List<String>> contents = new LinkedHashMap<>();
        try (Connection c = source.root(); Statement s = c.createStatement()) {
            s.execute("start transaction with consistent snapshot");
            for (String table : TABLES) {
                contents.put(table, Restores.rows(c, schema, table));
            }
            s.execute("commit");
        }
        return contents;
    }

    /** Sleeps until {@code millis} into the next whole second; answers that second. */
    static OffsetDateTime sleepIntoNextSecond(long millis) throws InterruptedException {
        OffsetDateTime next = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        long wait = Duration.between(OffsetDateTime.now(ZoneOffset.UTC), next).toMillis() + millis;
        Thread.sleep(Math.max(0, wait));
        return next;
    }

    /** sysbench oltp_write_only on table sbtest1 (updates, deletes and inserts): prepare, or run for some seconds. */
    private static void sysbench(Sources source, String schema, String command, int seconds) {
        try {
            List<String> args = new java.util.ArrayList<>(List.of("sysbench", "oltp_write_only", "--db-driver=mysql",
                    "--mysql-host=" + source.host(), "--mysql-port=" + source.port(), "--mysql-user=root",
                    "--mysql-password=" + LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"), "--mysql-db=" + schema, "--tables=1",
                    "--table-size=2000", "--index_updates=2", "--non_index_updates=2", "--delete_inserts=2"));
            if (command.equals("run")) {
                args.addAll(List.of("--threads=2", "--rate=100", "--time=" + seconds));
            }
            args.add(command);
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("sysbench " + command + " failed: " + out);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Mixed single-row and multi-row transactions on orders, line and audit. */
    static final class Writer {
        private final Sources source;
        private final String schema;
        private final Random random;
        final AtomicLong updates = new AtomicLong();
        final AtomicLong deletes = new AtomicLong();

        Writer(Sources source, String schema, long seed) {
            this.source = source;
            this.schema = schema;
            this.random = new Random(seed);
        }

        /** Writes while {@code work} runs (and stops when it returns). */
        void during(Runnable work) throws Exception {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try (Connection c = source.root(); Statement s = c.createStatement()) {
                    s.execute("use " + schema);
                    while (!stop.get()) {
                        step(s);
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            t.start();
            try {
                work.run();
            } finally {
                stop.set(true);
                t.join();
            }
            if (failure.get() != null) {
                throw failure.get();
            }
        }

        void burst(int steps) throws Exception {
            try (Connection c = source.root(); Statement s = c.createStatement()) {
                s.execute("use " + schema);
                for (int i = 0; i < steps; i++) {
                    step(s);
                }
            }
        }

        private void step(Statement s) throws Exception {
            int maxId = 1;
            try (ResultSet rs = s.executeQuery("select coalesce(max(id), 1) from orders")) {
                rs.next();
                maxId = rs.getInt(1);
            }
            int id = 1 + random.nextInt(maxId);
            switch (random.nextInt(10)) {
                case 0, 1, 2 -> s.executeUpdate("insert into orders (customer, amount, status, placed_at, note, flags, score, tags, token, created)"
                        + " values ('" + name() + "', " + money() + ", '" + status() + "', '2026-11-" + (10 + random.nextInt(18)) + " 10:"
                        + (10 + random.nextInt(50)) + ":05." + random.nextInt(1000) + "', " + (random.nextBoolean() ? "null" : "'naïve ☃ 😀 "
                        + random.nextInt(100) + "'") + ", b'" + Integer.toBinaryString(random.nextInt(16)) + "', " + (random.nextInt(10000) / 4.0)
                        + ", '" + (random.nextBoolean() ? "a,c" : "b") + "', x'" + Integer.toHexString(0x1000 + random.nextInt(0xefff)) + "00ff'"
                        + ", '2026-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10) + "')");
                case 3, 4 -> {
                    s.executeUpdate("update orders set amount = " + money() + ", status = '" + status() + "', note = concat(coalesce(note, ''), 'x'),"
                            + " score = score + 0.25, flags = b'1010', tags = 'a,b,c' where id = " + id);
                    updates.incrementAndGet();
                }
                case 5 -> {
                    s.executeUpdate("delete from orders where id = " + id);
                    deletes.incrementAndGet();
                }
                case 6 -> {
                    // one transaction of several rows and tables
                    s.execute("start transaction");
                    for (int line = 1; line <= 3; line++) {
                        s.executeUpdate("insert into line values (" + id + ", " + line + ", " + random.nextInt(50) + ", " + money()
                                + ") on duplicate key update qty = qty + 1");
                    }
                    s.executeUpdate("insert into audit values ('" + status() + "', " + random.nextInt(1000) + ")");
                    s.execute("commit");
                }
                case 7 -> {
                    s.executeUpdate("update line set qty = qty + 1, price = " + money() + " where order_id = " + id);
                    s.executeUpdate("update audit set val = val + 1 where kind = '" + status() + "' limit 1");
                    updates.incrementAndGet();
                }
                case 8 -> {
                    s.executeUpdate("delete from line where order_id = " + id + " and line_no = " + (1 + random.nextInt(3)));
                    s.executeUpdate("delete from audit where kind = '" + status() + "' limit 1");
                    deletes.incrementAndGet();
                }
                default -> s.executeUpdate("insert into audit values ('" + status() + "', " + random.nextInt(3) + ")");
            }
        }

        private String name() {
            return "cust-" + random.nextInt(1000);
        }

        private String money() {
            return (random.nextInt(1_000_000) / 100.0) + "";
        }

        private String status() {
            return List.of("new", "paid", "shipped", "cancelled").get(random.nextInt(4));
        }
    }
}
