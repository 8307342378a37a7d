package dev.rewind.agent.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DetectionTest {

    private static Map<String, Object> table(String name, Map<String, Object>... columns) {
        return Map.of("name", name, "columns", List.of(columns));
    }

    private static Map<String, Object> column(String name, String type) {
        return Map.of("name", name, "type", type, "nullable", false);
    }

    @SafeVarargs
    private static void snapshot(Agents.Registered agent, String databaseId, Map<String, Object>... tables) {
        agent.call().body(Map.of("databaseId", databaseId, "snapshot", Map.of("tables", List.of(tables)),
                        "tableCount", tables.length, "columnCount", 3))
                .when().post("/api/v1/agent/schema-snapshot")
                .then().statusCode(201).body("snapshotId", notNullValue());
    }

    private static List<Map<String, Object>> anomalies(String databaseId, String type) {
        return given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("databaseId", databaseId).queryParam("type", type)
                .when().get("/api/v1/admin/anomalies")
                .then().statusCode(200).extract().path("$");
    }

    @Test
    @SuppressWarnings("unchecked")
    void schemaDriftIsCriticalForADroppedTableAWarningForAChangedColumnAndInfoForAnAddition() {
        Agents.Registered agent = Agents.withDatabase("drift");
        String db = Agents.databaseId(agent, "drift");
        Map<String, Object> users = table("users", column("id", "bigint"), column("email", "varchar(255)"));
        Map<String, Object> orders = table("orders", column("id", "bigint"), column("total", "decimal(10,2)"));

        snapshot(agent, db, users, orders);
        snapshot(agent, db, users, orders);
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), anomalies(db, "schema_drift"), "an unchanged schema is no drift");

        // orders dropped, users.email widened, users.name added
        snapshot(agent, db, table("users", column("id", "bigint"), column("email", "varchar(512)"), column("name", "text")));
        List<Map<String, Object>> drift = anomalies(db, "schema_drift");
        org.junit.jupiter.api.Assertions.assertEquals(3, drift.size(), drift.toString());
        Map<String, Map<String, Object>> bySeverity = new java.util.HashMap<>();
        drift.forEach(a -> bySeverity.put((String) a.get("severity"), a));
        org.hamcrest.MatcherAssert.assertThat((List<String>) ((Map<String, Object>) bySeverity.get("critical").get("details")).get("dropped_tables"),
                contains("orders"));
        org.hamcrest.MatcherAssert.assertThat((List<String>) ((Map<String, Object>) bySeverity.get("warning").get("details")).get("changed_columns"),
                contains("users.email"));
        org.hamcrest.MatcherAssert.assertThat((List<String>) ((Map<String, Object>) bySeverity.get("info").get("details")).get("added_columns"),
                contains("users.name"));

        // a dropped column alone is a warning
        snapshot(agent, db, table("users", column("id", "bigint"), column("email", "varchar(512)")));
        List<Map<String, Object>> after = anomalies(db, "schema_drift");
        org.junit.jupiter.api.Assertions.assertEquals(4, after.size());
        org.junit.jupiter.api.Assertions.assertEquals("warning", after.get(0).get("severity"));

        // and every one went out as anomaly.detected
        var events = Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> KafkaTopics.read("rewind.anomalies", r -> agent.id().equals(r.key()), Duration.ofMillis(500)),
                        l -> l.size() >= 4);
        JsonPath critical = events.stream().map(r -> JsonPath.from(r.value()))
                .filter(p -> "critical".equals(p.getString("severity"))).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals("schema_drift", critical.getString("kind"));
        org.junit.jupiter.api.Assertions.assertEquals("drift", critical.getString("database"));
        org.hamcrest.MatcherAssert.assertThat(critical.getList("details.dropped_tables"), contains("orders"));
    }

    @Test
    void aMalformedSnapshotIsRejectedWithItsField() {
        Agents.Registered agent = Agents.withDatabase("malformed");
        String db = Agents.databaseId(agent, "malformed");
        agent.call().body(Map.of("databaseId", db, "snapshot", Map.of("tables", "users")))
                .when().post("/api/v1/agent/schema-snapshot")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("snapshot.tables"));
        agent.call().body(Map.of("databaseId", db, "snapshot", Map.of("tables", List.of(Map.of("columns", List.of())))))
                .when().post("/api/v1/agent/schema-snapshot")
                .then().statusCode(400).body("errors.field", hasItem("snapshot.tables[0].name"));
        agent.call().body(Map.of("databaseId", db, "snapshot", List.of()))
                .when().post("/api/v1/agent/schema-snapshot").then().statusCode(400);
    }

    @Test
    void aBackupFarBelowTheRecentAverageRaisesASizeAnomalyAndANormalOneDoesNot() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        Agents.Registered agent = Agents.withDatabase("sizes");
        String db = Agents.databaseId(agent, "sizes");
        String target = Agents.target(admin);

        for (long size : List.of(2_400_000_000L, 2_500_000_000L, 2_300_000_000L)) {
            Agents.complete(agent, Agents.startJob(agent, db, target), size);
        }
        Agents.complete(agent, Agents.startJob(agent, db, target), 2_200_000_000L);
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), anomalies(db, "size_anomaly"), "a normal size raises nothing");

        String small = Agents.startJob(agent, db, target);
        Agents.complete(agent, small, 312_000_000L);
        List<Map<String, Object>> found = anomalies(db, "size_anomaly");
        org.junit.jupiter.api.Assertions.assertEquals(1, found.size());
        org.junit.jupiter.api.Assertions.assertEquals(small, found.get(0).get("jobId"));
        org.hamcrest.MatcherAssert.assertThat((String) found.get(0).get("title"), containsString("87% smaller than average"));
        org.hamcrest.MatcherAssert.assertThat((String) found.get(0).get("description"), is("Expected ~2.4 GB, got 312 MB"));
        given().auth().oauth2(admin).when().get("/api/v1/admin/jobs/" + small)
                .then().statusCode(200).body("anomalies.type", contains("size_anomaly"));
    }

    @Test
    void aFailedVerificationRaisesARestoreFailure() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        Agents.Registered agent = Agents.withDatabase("verified");
        String db = Agents.databaseId(agent, "verified");
        String target = Agents.target(admin);
        String good = Agents.startJob(agent, db, target);
        Agents.complete(agent, good, 1000);
        agent.call().body(Map.of("status", "passed")).when().post("/api/v1/agent/jobs/" + good + "/verification")
                .then().statusCode(201);
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), anomalies(db, "restore_failure"));

        String bad = Agents.startJob(agent, db, target);
        Agents.complete(agent, bad, 1000);
        agent.call().body(Map.of("status", "failed", "checks", List.of(
                        Map.of("checkType", "row_count", "checkName", "users table", "status", "failed",
                                "expectedValue", "1000", "actualValue", "12", "deltaPct", -98.8))))
                .when().post("/api/v1/agent/jobs/" + bad + "/verification")
                .then().statusCode(201);
        List<Map<String, Object>> found = anomalies(db, "restore_failure");
        org.junit.jupiter.api.Assertions.assertEquals(1, found.size());
        org.junit.jupiter.api.Assertions.assertEquals("critical", found.get(0).get("severity"));
        org.junit.jupiter.api.Assertions.assertEquals(bad, found.get(0).get("jobId"));
        given().auth().oauth2(admin).when().get("/api/v1/admin/jobs/" + bad)
                .then().statusCode(200).body("verifications[0].status", is("failed"))
                .body("verifications[0].checks[0].actualValue", is("12"))
                .body("anomalies[0].type", is("restore_failure"));
    }
}
