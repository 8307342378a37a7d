package dev.rewind.pitr.run;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.commons.work.Blocking;
import dev.rewind.pitr.service.PitrRunService;
import dev.rewind.pitr.PitrRun;
import dev.rewind.pitr.job.PitrRunJob;
import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.Baselines;
import dev.rewind.pitr.support.Restores;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import dev.rewind.testing.EventContracts;
import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * POST /servers/{id}/pitr against a live MariaDB stream and a real baseline in S3: validation, one run at a time,
 * gaps, orphaned runs, events, and the access rules.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PitrRunTest {

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Inject
    PitrStorage storage;

    @Inject
    PitrRunJob job;

    @Inject
    AgroalDataSource db;

    @Inject
    PitrRunService runs;

    @Inject
    PitrRunner runner;

    ServerRegistryStub.Connection server;
    String schema;
    Baselines.Baseline baseline;
    OffsetDateTime beforeBaseline;
    OffsetDateTime afterBaseline;

    @BeforeEach
    void streamAServerWithABaseline() throws Exception {
        if (server != null) {
            return; // once for the class: @BeforeAll would run outside the application's class loader
        }
        server = Streams.streaming(ownership, supervisor, Sources.MARIADB, "acme");
        schema = Sources.MARIADB.createSchema();
        Sources.MARIADB.execute("use " + schema,
                "create table item (id int primary key, name varchar(40), qty int)",
                "insert into item values (1, 'bolt', 10), (2, 'nut', 20)");
        awaitIndexed(2);
        beforeBaseline = OffsetDateTime.now(ZoneOffset.UTC);
        Thread.sleep(1100); // the baseline completes in a later second than the first changes
        baseline = Baselines.take(storage, Sources.MARIADB, server, schema);
        Sources.MARIADB.execute("use " + schema, "update item set qty = 11 where id = 1", "insert into item values (3, 'washer', 30)");
        awaitIndexed(4);
        afterBaseline = OffsetDateTime.now(ZoneOffset.UTC);
        Thread.sleep(1100);
        Sources.MARIADB.execute("use " + schema, "delete from item where id = 2"); // an event after every target used here
        awaitIndexed(5);
        await().atMost(Duration.ofSeconds(30)).until(() -> coverage().getList("baselines.backup_id").contains(baseline.backupId().toString()));
    }

    @AfterAll
    void dropIt() {
        if (server != null) {
            Sources.MARIADB.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    private JsonPath coverage() {
        return given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/servers/" + server.serverId() + "/pitr/coverage")
                .then().statusCode(200).extract().jsonPath();
    }

    private void awaitIndexed(int events) {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                .queryParam("schema", schema).queryParam("limit", 1000).when().get("/servers/" + server.serverId() + "/events")
                .then().statusCode(200).extract().jsonPath().getList("$").size() >= events);
    }

    private io.restassured.response.ValidatableResponse post(String token, Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/servers/" + server.serverId() + "/pitr").then();
    }

    private String start(Map<String, Object> body) {
        return post(Tokens.user(Tokens.ACME_ADMIN), body).statusCode(202).body("status", is("running"))
                .extract().jsonPath().getString("pitr_id");
    }

    private JsonPath finished(String pitrId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(run(pitrId).getString("status")));
        return run(pitrId);
    }

    private JsonPath run(String pitrId) {
        return given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/servers/" + server.serverId() + "/pitr/" + pitrId)
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aRunRebuildsTheTableAndUploadsADumpWithItsManifest() throws Exception {
        String id = start(Map.of("target_time", afterBaseline.toString(), "tables", schema + ".item"));
        JsonPath run = finished(id);
        assertThat(run.getString("error_message"), run.getString("status"), is("completed"));
        assertThat(run.getString("phase"), is("complete"));
        assertThat(run.getString("tables_filter"), is(schema + ".item"));
        assertThat(run.getString("baseline_backup_id"), is(baseline.backupId().toString()));
        assertThat(run.getLong("duration_ms"), greaterThanOrEqualTo(0L));
        String prefix = run.getString("s3_path").substring("s3://rewind-backups/".length());
        assertThat(prefix, startsWith("pitr/acme/" + server.serverId() + "/"
                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").format(afterBaseline) + "/"));
        List<String> files = Baselines.names(storage, prefix);
        assertThat(files, hasItems("metadata", "manifest.json", schema + "-schema-create.sql.gz", schema + ".item-schema.sql.gz"));
        assertThat(run.getInt("file_count"), is(files.size()));
        Path dir = Restores.download(storage, prefix);
        assertThat(Files.readString(dir.resolve("metadata")), matchesPattern("(?s).*Log: \\S+-bin\\.\\d+\n\tPos: \\d+.*"));

        String restored = schema + "_r";
        try {
            Restores.myloader(Sources.MARIADB, dir, schema, restored);
            try (Connection c = Sources.MARIADB.root()) {
                assertThat(Restores.rows(c, restored, "item"),
                        contains("1|bolt|11", "2|nut|20", "3|washer|30"));
            }
        } finally {
            Sources.MARIADB.dropSchema(restored);
        }
        var records = KafkaTopics.await("rewind.pitr", r -> r.key().equals(server.serverId().toString())
                && new String(r.headers().lastHeader("ce_subject").value()).equals(id), found -> found.size() >= 2, Duration.ofSeconds(30));
        records.forEach(EventContracts::assertValid); // against deploy/events: headers, key, payload schema
        List<String> types = records.stream().map(r -> new String(r.headers().lastHeader("ce_type").value())).toList();
        assertThat(types, contains("dev.rewind.pitr.started", "dev.rewind.pitr.completed"));
    }

    @Test
    void withoutTablesEveryTableTheBaselineHoldsIsRebuiltAndTheRestNoted() {
        JsonPath run = finished(start(Map.of("target_time", afterBaseline.toString())));
        assertThat(run.getString("error_message"), run.getString("status"), is("completed"));
        assertThat(run.getString("tables_filter"), nullValue());
        String prefix = run.getString("s3_path").substring("s3://rewind-backups/".length());
        assertThat(Baselines.names(storage, prefix), hasItem(schema + ".item-schema.sql.gz"));
        assertThat(run.getList("notes"), hasItem(startsWith("shop.customers skipped: the baseline backup does not hold database shop")));
    }

    @Test
    void badRequestsAreProblemsNamingTheField() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        post(admin, Map.of()).statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("target_time"));
        post(admin, Map.of("target_time", "yesterday")).statusCode(400).body("errors.field", hasItem("target_time"));
        for (String tables : List.of("item", "a.b.c", "a.b,,c.d", "", "`a`.b", "a.b; drop table x")) {
            post(admin, Map.of("target_time", afterBaseline.toString(), "tables", tables)).statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("tables"));
        }
        post(admin, Map.of("target_time", afterBaseline.toString(), "allow_gaps", "maybe")).statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{not json").when().post("/servers/" + server.serverId() + "/pitr")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void targetsThePlanCannotReachAreRefusedUpFront() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        post(admin, Map.of("target_time", OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString())).statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("in the future"));
        post(admin, Map.of("target_time", "2001-01-01T00:00:00Z")).statusCode(422)
                .body("detail", containsString("before the coverage window"));
        post(admin, Map.of("target_time", beforeBaseline.toString())).statusCode(422)
                .body("detail", allOf(containsString("needs a completed backup from before"), containsString("the oldest is from")));
        post(admin, Map.of("target_time", afterBaseline.toString(), "tables", schema + ".nope")).statusCode(422)
                .body("detail", containsString("Table " + schema + ".nope is not in the server's schema"));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/servers/" + server.serverId() + "/pitr")
                .then().statusCode(200).body("target_time", not(hasItem(startsWith("2001"))));
    }

    @Test
    void aMysqldumpBackupIsNoBaseline() {
        UUID mysqldump = UUID.randomUUID();
        UUID sentinel = UUID.randomUUID();
        OffsetDateTime past = beforeBaseline.minusMinutes(5);
        ServerEvents.backupCompleted(mysqldump, server.serverId(), "acme", past, "s3://rewind-backups/backups/acme/" + server.serverId()
                + "/m/", "mariadb-rewind-bin.000001", 4L, null, "mysqldump");
        // a mydumper backup sent after it on the same partition: once it shows, the mysqldump one has been handled
        ServerEvents.backupCompleted(sentinel, server.serverId(), "acme", past, "s3://rewind-backups/backups/acme/" + server.serverId()
                + "/s/", "mariadb-rewind-bin.000001", 4L, null, "mydumper");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> coverage().getList("baselines.backup_id").contains(sentinel.toString()));
            assertThat(coverage().getList("baselines.backup_id"), not(hasItem(mysqldump.toString())));
        } finally {
            ServerEvents.backupDeleted(sentinel, server.serverId(), "acme");
            await().atMost(Duration.ofSeconds(30)).until(() -> !coverage().getList("baselines.backup_id").contains(sentinel.toString()));
        }
    }

    @Test
    void aServerWithoutBaselineIsRefused() throws Exception {
        ServerRegistryStub.Connection other = Streams.streaming(ownership, supervisor, Sources.MARIADB, "acme");
        try {
            String s = Sources.MARIADB.createSchema();
            Sources.MARIADB.execute("use " + s, "create table t (id int primary key)", "insert into t values (1)");
            await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                    .when().get("/servers/" + other.serverId() + "/pitr/coverage").then().extract().jsonPath().getLong("total_events") > 0);
            given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType(ContentType.JSON)
                    .body(Map.of("target_time", OffsetDateTime.now(ZoneOffset.UTC).toString()))
                    .when().post("/servers/" + other.serverId() + "/pitr")
                    .then().statusCode(422).body("detail", containsString("the server has none"));
            Sources.MARIADB.dropSchema(s);
        } finally {
            ServerEvents.decommissioned(other);
        }
    }

    @Test
    void oneRunPerServerEvenWhenRequestsRace() throws Exception {
        OffsetDateTime target = afterBaseline;
        ExecutorService pool = Executors.newFixedThreadPool(5);
        List<io.restassured.response.ExtractableResponse<io.restassured.response.Response>> answers = new ArrayList<>();
        try {
            List<Callable<io.restassured.response.ExtractableResponse<io.restassured.response.Response>>> posts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                posts.add(() -> post(Tokens.user(Tokens.ACME_ADMIN), Map.of("target_time", target.toString(), "tables", schema + ".item"))
                        .extract());
            }
            for (Future<io.restassured.response.ExtractableResponse<io.restassured.response.Response>> f : pool.invokeAll(posts)) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(answers.stream().map(a -> a.statusCode()).toList(), containsInAnyOrder(202, 409, 409, 409, 409));
        for (var a : answers) {
            if (a.statusCode() == 409) {
                assertThat(a.contentType(), startsWith("application/problem+json"));
                assertThat(a.jsonPath().getString("detail"), containsString("already running for server " + server.serverId()));
            }
        }
        String accepted = answers.stream().filter(a -> a.statusCode() == 202).findFirst().orElseThrow().jsonPath().getString("pitr_id");
        assertThat(finished(accepted).getString("status"), is("completed"));
    }

    @Test
    void aGapBetweenBaselineAndTargetFailsTheRunUnlessAllowed() throws Exception {
        OffsetDateTime gapStart = baseline.completedAt().plusNanos(100_000_000);
        UUID gapId = UUID.randomUUID();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("insert into binlog_gap (id, server_id, "
                + "tenant, kind, gap_start, gap_end, message, detected_at) values (?, ?, 'acme', 'binlog_purged', ?, ?, "
                + "'mysql-bin.000009 was purged before it was read', now())")) {
            ps.setObject(1, gapId);
            ps.setObject(2, server.serverId());
            ps.setObject(3, gapStart);
            ps.setObject(4, gapStart.plusNanos(200_000_000));
            ps.executeUpdate();
        }
        try {
            JsonPath refused = finished(start(Map.of("target_time", afterBaseline.toString(), "tables", schema + ".item")));
            assertThat(refused.getString("status"), is("failed"));
            assertThat("the phase it failed in", refused.getString("phase"), is("preparing"));
            assertThat(refused.getString("error_message"), allOf(containsString("has a gap: binlog_purged"),
                    containsString("allow_gaps=true")));
            assertThat(Baselines.names(storage, refused.getString("s3_path").substring("s3://rewind-backups/".length())), empty());

            JsonPath allowed = finished(start(Map.of("target_time", afterBaseline.toString(), "tables", schema + ".item",
                    "allow_gaps", true)));
            assertThat(allowed.getString("error_message"), allowed.getString("status"), is("completed"));
            assertThat(allowed.getBoolean("allow_gaps"), is(true));
            assertThat(allowed.getList("notes"), hasItem(startsWith("gaps allowed: ")));
        } finally {
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("delete from binlog_gap where id = ?")) {
                ps.setObject(1, gapId);
                ps.executeUpdate();
            }
        }
    }

    @Test
    void aRunWhoseInstanceDiedIsFailedAndItsPartialOutputRemoved() throws Throwable {
        PitrRun run = staleRun("1234@gone-host");
        String prefix = "pitr/acme/" + server.serverId() + "/orphan-" + run.id + "/";
        run.s3Path = "s3://rewind-backups/" + prefix;
        Path partial = Files.createTempFile("partial", ".sql.gz");
        storage.upload(prefix + "x.item.00000.sql.gz", partial, "application/gzip");
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(run::persist));

        post(Tokens.user(Tokens.ACME_ADMIN), Map.of("target_time", afterBaseline.toString())).statusCode(409);
        assertThat(job.failOrphans(), greaterThanOrEqualTo(1));

        JsonPath failed = run(run.id.toString());
        assertThat(failed.getString("status"), is("failed"));
        assertThat(failed.getString("error_message"), allOf(containsString("instance 1234@gone-host stopped while the run was uploading"),
                containsString("partial output (1 objects) was removed")));
        assertThat(Baselines.names(storage, prefix), empty());
        JsonPath next = finished(start(Map.of("target_time", afterBaseline.toString(), "tables", schema + ".item")));
        assertThat(next.getString("status"), is("completed"));
    }

    @Test
    void aRunnerThatLostItsClaimCanNeitherKeepTheRunAliveNorCompleteIt() throws Throwable {
        PitrRun run = staleRun("4321@stalled-host");
        run.s3Path = "s3://rewind-backups/pitr/acme/" + server.serverId() + "/stalled-" + run.id + "/";
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(run::persist));

        // a janitor takes the stalled run for an orphan (and is about to remove its output)...
        PitrRun claimed;
        do {
            claimed = Blocking.await(() -> runs.claimOrphan(runner.instance(), Duration.ofMinutes(1)));
        } while (claimed != null && !claimed.id.equals(run.id));
        assertThat("the janitor claimed the stalled run", claimed, notNullValue());

        // ... while the stalled runner wakes up: its heartbeat, phase and completion change nothing
        assertThat(Blocking.await(() -> runs.heartbeat(Set.of(run.id), "4321@stalled-host")), is(0));
        Blocking.await(() -> runs.enterPhase(run.id, "4321@stalled-host", "reconstructing"));
        PitrRun late = Blocking.await(() -> runs.complete(run.id, "4321@stalled-host", 10, 1, List.of()));
        assertThat(late.status, is("running"));
        assertThat(run(run.id.toString()).getString("status"), is("running"));
        assertThat(run(run.id.toString()).getString("phase"), is("uploading"));

        // the janitor's failure is what the run ends as
        Blocking.await(() -> runs.fail(run.id, runner.instance(), "lost", List.of()));
        assertThat(run(run.id.toString()).getString("status"), is("failed"));
    }

    /** A run in its uploading phase whose instance stopped proving it is alive five minutes ago. */
    private PitrRun staleRun(String instance) {
        PitrRun run = new PitrRun();
        run.id = UUID.randomUUID();
        run.tenant = "acme";
        run.serverId = server.serverId();
        run.serverName = server.name();
        run.targetTime = afterBaseline;
        run.status = "running";
        run.phase = "uploading";
        run.instance = instance;
        run.startedAt = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10);
        run.heartbeatAt = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5);
        return run;
    }

    @Test
    void accessRules() {
        Map<String, Object> body = Map.of("target_time", afterBaseline.toString());
        given().contentType(ContentType.JSON).body(body).when().post("/servers/" + server.serverId() + "/pitr")
                .then().statusCode(401).contentType("application/problem+json");
        post(Tokens.user(Tokens.ACME_READER), body).statusCode(403).contentType("application/problem+json");
        post(Tokens.user(Tokens.GLOBEX_ADMIN), body).statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType(ContentType.JSON).body(body)
                .when().post("/servers/" + UUID.randomUUID() + "/pitr").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType(ContentType.JSON).body(body)
                .when().post("/servers/not-a-uuid/pitr").then().statusCode(404).contentType("application/problem+json");
    }
}
