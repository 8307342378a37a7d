package dev.rewind.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole product as one: through the gateway, with Keycloak tokens, against the packaged services and
 * the real sources. A server is registered and onboarded to streaming, backed up (on demand, beside a
 * schedule), the backup lands in the run ledger, row changes show in its history and coverage, two tables
 * are recovered to a time between writes and myloader restores them to exactly that state; an agent
 * registers, runs a job that lands in the ledger, and a dropped table in its schema raises an anomaly.
 */
class JourneyIT {

    private static final Duration ONBOARDING = Duration.ofMinutes(3);
    private static final Duration BACKUP = Duration.ofMinutes(4);

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = LocalStack.env("REWIND_GATEWAY_URL");
    }

    @ParameterizedTest
    @EnumSource(Sources.class)
    void aServerIsOnboardedBackedUpLedgeredIndexedAndRecoveredToATime(Sources source) throws Exception {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        String schema = "journey_" + UUID.randomUUID().toString().substring(0, 8);
        source.execute(
                "create database " + schema,
                "create table " + schema + ".items (id int primary key, name varchar(40) not null, qty int not null)",
                "insert into " + schema + ".items values (1, 'anchor', 10), (2, 'buoy', 20), (3, 'compass', 30)",
                "create table " + schema + ".crew (id int primary key, name varchar(40) not null, joined date)",
                "insert into " + schema + ".crew values (1, 'Ahab', '2026-01-02'), (2, 'Ishmael', '2026-02-03')");
        String serverId = null;
        try {
            // register: the connection check passes for the rewind user, over TLS with the sources' CA checked; every
            // connection of the journey (check, stream, backup, verification) goes over TLS
            String ca = java.nio.file.Files.readString(java.nio.file.Path.of(LocalStack.env("REWIND_SOURCE_TLS_CA")));
            serverId = given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("name", schema, "host", source.host(), "port", source.port(), "username",
                            LocalStack.env("REWIND_SOURCE_USER"), "password", LocalStack.env("REWIND_SOURCE_PASSWORD"),
                            "connection_method", "direct", "tls_mode", "verify_ca", "tls_ca_cert", ca))
                    .when().post("/servers")
                    .then().statusCode(201).body("status", is("onboarding")).body("tls_mode", is("verify_ca"))
                    .extract().path("id");
            String server = serverId;

            // onboarding walks every step to streaming, and the server becomes active
            Awaitility.await("onboarding of " + schema).atMost(ONBOARDING).pollInterval(Duration.ofSeconds(1))
                    .until(() -> given().auth().oauth2(admin).get("/servers/" + server).path("status"), is("active"));
            given().auth().oauth2(admin).when().get("/servers/" + server + "/onboarding-status")
                    .then().statusCode(200)
                    .body("current_step", nullValue())
                    .body("error", nullValue())
                    .body("steps.step", contains("provisioning", "awaiting_firewall", "waiting_for_agent", "initializing",
                            "snapshotting", "streaming"))
                    .body("steps.status", everyItem(is("completed")));

            // a schedule, once backup-service has learnt of the server from rewind.servers (until then: 404)
            Response schedule = Awaitility.await("backup-service learns of " + schema).atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> given().auth().oauth2(admin).contentType(ContentType.JSON)
                            .body(Map.of("server_id", server, "schedule_cron", "0 3 * * *")).post("/backup/schedules"),
                            r -> r.statusCode() != 404);
            schedule.then().statusCode(201).body("server_id", is(server)).body("backup_tool", is("mydumper"))
                    .body("retention_days", is(30)).body("enabled", is(true));

            // and an on-demand backup of the journey's schema that completes
            String backupId = given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("server_id", server, "databases", List.of(schema)))
                    .when().post("/backup")
                    .then().statusCode(202).body("status", is("running")).extract().path("backup_id");
            Response backup = Awaitility.await("backup " + backupId).atMost(BACKUP).pollInterval(Duration.ofSeconds(1))
                    .until(() -> given().auth().oauth2(admin).get("/backup/history/" + backupId),
                            r -> List.of("completed", "failed").contains(r.path("status")));
            backup.then().statusCode(200).body("status", is("completed")).body("phase", is("complete"))
                    .body("error_message", nullValue())
                    .body("verification.status", is("passed"))
                    .body("s3_path", startsWith("s3://" + LocalStack.env("REWIND_S3_BUCKET") + "/backups/acme/" + server + "/"))
                    .body("size_bytes", greaterThan(0));

            // the backup lands in the one ledger, as a success of backup-service
            Awaitility.await("run of backup " + backupId).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> given().auth().oauth2(admin).get("/v1/backup-runs/backup-" + backupId).statusCode(), is(200));
            given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().get("/v1/backup-runs/backup-" + backupId)
                    .then().body("status", is("success")).body("source", is("backup-service"));

            // writes after the backup; the truth at a time T between two bursts of writes; PITR of both tables to T
            source.execute(
                    "update " + schema + ".items set qty = 11 where id = 1",
                    "delete from " + schema + ".items where id = 2",
                    "insert into " + schema + ".crew values (3, 'Queequeg', '2026-03-04')",
                    "update " + schema + ".crew set name = 'Starbuck' where id = 1");
            OffsetDateTime target = intoNextSecond(300); // a second nobody writes in (MariaDB's binlog has whole seconds)
            List<String> itemsAtT = source.rows(schema, "items");
            List<String> crewAtT = source.rows(schema, "crew");
            intoNextSecond(100);
            source.execute(
                    "insert into " + schema + ".items values (4, 'dinghy', 40)",
                    "update " + schema + ".items set qty = 99 where id = 3",
                    "delete from " + schema + ".crew where id = 2");

            // history and coverage show the changes
            Awaitility.await("history of " + schema).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> given().auth().oauth2(admin).queryParam("schema", schema)
                            .get("/servers/" + server + "/events").jsonPath().getList("op").size(), greaterThanOrEqualTo(7));
            given().auth().oauth2(admin).queryParam("schema", schema).queryParam("table", "items").queryParam("limit", 4)
                    .when().get("/servers/" + server + "/events")
                    .then().statusCode(200).body("op", contains("update", "insert", "delete", "update"))
                    .body("[0].before.qty", is(30)).body("[0].after.qty", is(99));
            given().auth().oauth2(admin).when().get("/servers/" + server + "/pitr/coverage")
                    .then().statusCode(200)
                    .body("available", is(true))
                    .body("total_events", greaterThanOrEqualTo(7))
                    .body("oldest_event", notNullValue())
                    .body("latest_event", notNullValue())
                    .body("baselines.backup_id", hasItem(backupId));

            String pitrId = given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("target_time", target.toString(), "tables", schema + ".items," + schema + ".crew"))
                    .when().post("/servers/" + server + "/pitr")
                    .then().statusCode(202).body("status", is("running")).extract().path("pitr_id");
            Response pitr = Awaitility.await("PITR " + pitrId).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> given().auth().oauth2(admin).get("/servers/" + server + "/pitr/" + pitrId),
                            r -> !"running".equals(r.path("status")));
            pitr.then().statusCode(200).body("error_message", nullValue()).body("status", is("completed"))
                    .body("phase", is("complete")).body("baseline_backup_id", is(backupId))
                    .body("s3_path", startsWith("s3://" + LocalStack.env("REWIND_S3_BUCKET") + "/pitr/acme/" + server + "/"))
                    .body("file_count", greaterThan(4));
            String restored = schema + "_at_t";
            try {
                Dumps.myloader(source, Dumps.download(pitr.path("s3_path")), schema, restored);
                assertEquals(itemsAtT, source.rows(restored, "items"));
                assertEquals(crewAtT, source.rows(restored, "crew"));
                assertEquals(List.of("1|anchor|11", "3|compass|30"), itemsAtT); // the truth is the state between the bursts
            } finally {
                source.execute("drop database if exists " + restored);
            }

            // decommissioning stops it everywhere and hides it from the list
            given().auth().oauth2(admin).when().delete("/servers/" + server).then().statusCode(204);
            given().auth().oauth2(admin).when().get("/servers").then().body("id", not(hasItem(server)));
            serverId = null;
        } finally {
            if (serverId != null) {
                given().auth().oauth2(admin).delete("/servers/" + serverId);
            }
            source.execute("drop database if exists " + schema);
        }
    }

    /** Sleeps until {@code millis} into the next whole second (UTC); answers that moment. */
    private static OffsetDateTime intoNextSecond(long millis) {
        OffsetDateTime next = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        try {
            Thread.sleep(Math.max(0, Duration.between(OffsetDateTime.now(ZoneOffset.UTC), next).toMillis() + millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return next.plusNanos(millis * 1_000_000);
    }

    @Test
    void anAgentRegistersRunsAJobIntoTheLedgerAndADroppedTableRaisesAnAnomaly() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        String registration = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/admin/registration-tokens")
                .then().statusCode(201).extract().path("token");
        String hostname = "journey-" + UUID.randomUUID().toString().substring(0, 8);
        Response registered = given().contentType(ContentType.JSON)
                .body(Map.of("registrationToken", registration, "hostname", hostname, "os", "linux", "arch", "amd64",
                        "agentVersion", "1.0.0"))
                .when().post("/api/v1/agent/register");
        registered.then().statusCode(201);
        String agentId = registered.path("agentId");
        String apiKey = registered.path("apiKey");

        given().auth().oauth2(apiKey).contentType(ContentType.JSON)
                .body(Map.of("status", "online", "agentVersion", "1.0.0", "configHash", "",
                        "discoveredDatabases", List.of(Map.of("dbType", "mysql", "dbVersion", "8.0.31", "host", "localhost",
                                "port", "3306", "databaseName", "shop"))))
                .when().post("/api/v1/agent/heartbeat")
                .then().statusCode(200);
        String databaseId = given().auth().oauth2(admin).when().get("/api/v1/admin/agents/" + agentId + "/databases")
                .then().statusCode(200).extract().path("find { it.databaseName == 'shop' }.id");
        String targetId = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", hostname + "-s3", "type", "s3", "bucket", "rewind-backups", "region", "us-east-1"))
                .when().post("/api/v1/admin/targets")
                .then().statusCode(201).extract().path("id");

        String jobId = given().auth().oauth2(apiKey).contentType(ContentType.JSON)
                .body(Map.of("databaseId", databaseId, "targetId", targetId))
                .when().post("/api/v1/agent/jobs/start")
                .then().statusCode(201).extract().path("jobId");
        for (String stage : List.of("dumping", "compressing", "encrypting", "uploading")) {
            given().auth().oauth2(apiKey).contentType(ContentType.JSON).body(Map.of("status", stage))
                    .when().post("/api/v1/agent/jobs/" + jobId + "/status").then().statusCode(200);
        }
        given().auth().oauth2(apiKey).contentType(ContentType.JSON)
                .body(Map.of("status", "completed", "dumpSize", 3_000_000, "compressedSize", 1_000_000,
                        "uploadPath", "s3://rewind-backups/agents/" + jobId, "durationMs", 4200))
                .when().post("/api/v1/agent/jobs/" + jobId + "/status").then().statusCode(200);

        // the job lands in the one ledger
        Awaitility.await("run of agent job " + jobId).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> given().auth().oauth2(admin).get("/v1/backup-runs/agent-job-" + jobId).statusCode(), is(200));
        given().auth().oauth2(admin).when().get("/v1/backup-runs/agent-job-" + jobId)
                .then().body("status", is("success")).body("agent_id", is(agentId));

        // a schema snapshot, then one with a table gone: a critical schema_drift anomaly
        Map<String, Object> orders = Map.of("name", "orders", "columns", List.of(Map.of("name", "id", "type", "bigint")));
        Map<String, Object> customers = Map.of("name", "customers", "columns", List.of(Map.of("name", "id", "type", "bigint")));
        for (List<Map<String, Object>> tables : List.of(List.of(orders, customers), List.of(orders))) {
            given().auth().oauth2(apiKey).contentType(ContentType.JSON)
                    .body(Map.of("databaseId", databaseId, "snapshot", Map.of("tables", tables),
                            "tableCount", tables.size(), "columnCount", tables.size()))
                    .when().post("/api/v1/agent/schema-snapshot").then().statusCode(201);
        }
        ConsumerRecord<String, String> drift = Awaitility.await("schema_drift of " + agentId).atMost(Duration.ofMinutes(1))
                .until(() -> KafkaTopics.read("rewind.anomalies", r -> agentId.equals(r.key())
                                && "schema_drift".equals(JsonPath.from(r.value()).getString("kind")), Duration.ofMillis(500)),
                        found -> !found.isEmpty())
                .get(0);
        JsonPath anomaly = JsonPath.from(drift.value());
        assertEquals("critical", anomaly.getString("severity"));
        assertEquals("acme", anomaly.getString("tenant"));
        assertTrue(anomaly.getString("message").contains("dropped"), anomaly.getString("message"));
        assertTrue(anomaly.getMap("details").toString().contains("customers"), "the dropped table is named: " + drift.value());
        assertEquals("dev.rewind.anomaly.detected",
                new String(drift.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8));
    }
}
