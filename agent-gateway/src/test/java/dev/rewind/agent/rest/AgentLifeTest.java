package dev.rewind.agent.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentLifeTest {

    @Test
    void anAgentRegistersHeartbeatsPullsConfigRunsAJobAndItsEventsArePublished() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);

        // an admin mints a one-time token, valid for 24 hours by default
        Response minted = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/admin/registration-tokens");
        minted.then().statusCode(201).header("Location", containsString("/api/v1/admin/registration-tokens/"))
                .body("id", notNullValue()).body("token", startsWith("brt_"));
        String token = minted.path("token");
        OffsetDateTime expiresAt = OffsetDateTime.parse(minted.path("expiresAt"));
        assertTrue(expiresAt.isAfter(OffsetDateTime.now().plusHours(23)) && expiresAt.isBefore(OffsetDateTime.now().plusHours(25)));

        // the host registers with it: an agent id and an API key, shown once
        String hostname = "life-" + UUID.randomUUID().toString().substring(0, 8);
        Response registered = Agents.register(token, hostname);
        registered.then().statusCode(201).body("agentId", notNullValue()).body("apiKey", startsWith("bak_"));
        Agents.Registered agent = new Agents.Registered(registered.path("agentId"), registered.path("apiKey"), hostname);
        assertTrue(agent.apiKey().length() >= 4 + 43, "bak_ and at least 32 random bytes");

        // the token is spent
        Agents.register(token, hostname + "-again").then().statusCode(401).contentType("application/problem+json");

        // first heartbeat with the discovered databases: the agent has no config yet
        assertTrue(Agents.heartbeat(agent, null, List.of(Agents.database("shop"), Agents.database("billing"))));
        given().auth().oauth2(admin).when().get("/api/v1/admin/agents/" + agent.id())
                .then().statusCode(200).body("online", is(true)).body("hostname", is(hostname))
                .body("discoveredDatabases.databaseName", contains("shop", "billing"));
        String shop = Agents.databaseId(agent, "shop");

        // pulling the config gives its hash; reporting it means nothing changed
        String firstHash = pullConfig(agent).header("ETag").replace("\"", "");
        assertFalse(Agents.heartbeat(agent, firstHash, List.of(Agents.database("shop"), Agents.database("billing"))));

        // the admin schedules a backup of shop: the next heartbeat hears configChanged
        String target = Agents.target(admin);
        String schedule = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("databaseId", shop, "targetId", target, "cron", "0 2 * * *", "retentionDays", 14))
                .when().post("/api/v1/admin/schedules")
                .then().statusCode(201).body("databaseName", is("shop")).body("agentId", is(agent.id()))
                .extract().path("id");
        assertTrue(Agents.heartbeat(agent, firstHash, List.of(Agents.database("shop"), Agents.database("billing"))));

        Response config = pullConfig(agent);
        config.then().body("schedules.id", contains(schedule))
                .body("schedules[0].databaseId", is(shop))
                .body("schedules[0].databaseName", is("shop"))
                .body("schedules[0].cron", is("0 2 * * *"))
                .body("schedules[0].targetId", is(target))
                .body("targets.id", hasItem(target))
                .body("alertChannels", notNullValue());
        String secondHash = config.header("ETag").replace("\"", "");
        assertNotEquals(firstHash, secondHash);
        assertFalse(Agents.heartbeat(agent, secondHash, List.of(Agents.database("shop"), Agents.database("billing"))));

        // a job walks its stages
        String job = agent.call().body(Map.of("databaseId", shop, "targetId", target, "scheduleId", schedule))
                .when().post("/api/v1/agent/jobs/start")
                .then().statusCode(201).body("jobId", notNullValue()).extract().path("jobId");
        Agents.status(agent, job, Map.of("status", "dumping")).then().statusCode(200).body("success", is(true));
        Agents.complete(agent, job, 456789);

        // its verification, logs and a schema snapshot
        agent.call().body(Map.of("status", "passed", "containerId", "c0ffee", "restoreDurationMs", 3200,
                        "checks", List.of(Map.of("checkType", "row_count", "checkName", "users table", "status", "passed",
                                "expectedValue", "1000", "actualValue", "1000", "deltaPct", 0.0))))
                .when().post("/api/v1/agent/jobs/" + job + "/verification")
                .then().statusCode(201).body("verificationId", notNullValue());
        agent.call().body(Map.of("logs", List.of(
                        Map.of("level", "info", "message", "Starting backup...", "timestamp", "2026-04-09T02:00:01.000Z"),
                        Map.of("level", "warn", "message", "Slow table", "timestamp", "2026-04-09T02:00:02.000Z"),
                        Map.of("level", "info", "message", "Done", "timestamp", "2026-04-09T02:00:09.000Z"))))
                .when().post("/api/v1/agent/jobs/" + job + "/logs")
                .then().statusCode(200).body("inserted", is(3));
        Map<String, Object> snapshot = Map.of("tables", List.of(
                Map.of("name", "users", "columns", List.of(Map.of("name", "id", "type", "bigint")))));
        agent.call().body(Map.of("databaseId", shop, "snapshot", snapshot, "tableCount", 1, "columnCount", 1))
                .when().post("/api/v1/agent/schema-snapshot")
                .then().statusCode(201).body("snapshotId", notNullValue());
        String anomaly = agent.call().body(Map.of("type", "size_anomaly", "severity", "warning",
                        "title", "Backup size 60% smaller than average", "description", "Expected ~2.4 GB, got 312 MB"))
                .when().post("/api/v1/agent/anomaly")
                .then().statusCode(201).body("anomalyId", notNullValue()).extract().path("anomalyId");

        // the admin sees the job with everything reported about it
        given().auth().oauth2(admin).when().get("/api/v1/admin/jobs/" + job)
                .then().statusCode(200)
                .body("job.status", is("completed"))
                .body("job.compressedSize", is(456789))
                .body("job.encrypted", is(true))
                .body("logs.message", contains("Starting backup...", "Slow table", "Done"))
                .body("verifications[0].status", is("passed"))
                .body("verifications[0].checks[0].checkName", is("users table"));
        given().auth().oauth2(admin).queryParam("agentId", agent.id()).when().get("/api/v1/admin/jobs")
                .then().statusCode(200).body("id", contains(job));

        // every stage went out on rewind.agent-jobs, keyed by the agent, in order
        List<ConsumerRecord<String, String>> stages = Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> KafkaTopics.read("rewind.agent-jobs", r -> agent.id().equals(r.key()), Duration.ofMillis(500)),
                        l -> l.size() >= 5);
        assertEquals(List.of("dumping", "compressing", "encrypting", "uploading", "completed"),
                stages.stream().map(r -> JsonPath.from(r.value()).getString("stage")).toList());
        ConsumerRecord<String, String> completed = stages.get(4);
        assertEquals("dev.rewind.agent.job.status", header(completed, "ce_type"));
        assertEquals("agent-gateway", header(completed, "ce_source"));
        assertEquals(job, header(completed, "ce_subject"));
        assertEquals("acme", header(completed, "ce_tenant"));
        JsonPath payload = JsonPath.from(completed.value());
        assertEquals(job, payload.getString("job_id"));
        assertEquals(agent.id(), payload.getString("agent_id"));
        assertEquals(hostname, payload.getString("hostname"));
        assertEquals(shop, payload.getString("database_id"));
        assertEquals("shop", payload.getString("database_name"));
        assertEquals(schedule, payload.getString("schedule_id"));
        assertEquals(456789L, payload.getLong("compressed_size_bytes"));
        assertEquals(456789L * 3, payload.getLong("size_bytes"));
        assertEquals("s3://rewind-backups/agents/" + job, payload.getString("path"));
        assertTrue(payload.getBoolean("encrypted"));
        assertTrue(payload.getString("completed_at") != null && payload.getString("started_at") != null);
        assertFalse(completed.value().contains(agent.apiKey()), "no secret in the event");

        // and the anomaly on rewind.anomalies
        ConsumerRecord<String, String> detected = Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> KafkaTopics.read("rewind.anomalies", r -> agent.id().equals(r.key()), Duration.ofMillis(500)),
                        l -> !l.isEmpty())
                .get(0);
        assertEquals("dev.rewind.anomaly.detected", header(detected, "ce_type"));
        JsonPath found = JsonPath.from(detected.value());
        assertEquals(anomaly, found.getString("anomaly_id"));
        assertEquals("size_anomaly", found.getString("kind"));
        assertEquals("warning", found.getString("severity"));
        assertEquals("Backup size 60% smaller than average", found.getString("message"));
        assertEquals("acme", found.getString("tenant"));
        assertEquals(agent.id(), found.getString("agent_id"));
    }

    private static Response pullConfig(Agents.Registered agent) {
        Response config = agent.call().when().get("/api/v1/agent/config");
        config.then().statusCode(200).header("ETag", notNullValue()).header(AgentResource.CONFIG_HASH_HEADER, notNullValue());
        return config;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
