package dev.rewind.agent.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.testing.EventContracts;
import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What this service really sends on rewind.agent-jobs, rewind.anomalies and rewind.audit over an agent's life keeps
 * deploy/events (asyncapi.yaml's headers and topics, schemas/*.json): every job stage, every kind of anomaly it
 * raises or takes from an agent, every audited action.
 */
@QuarkusTest
class EventContractTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static List<String> values(List<ConsumerRecord<String, String>> records, String field) {
        return records.stream().map(r -> JsonPath.from(r.value()).getString(field)).toList();
    }

    @Test
    void everyEventOfAnAgentsLifeKeepsItsContract() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        String spareToken = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/admin/registration-tokens").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).when().delete("/api/v1/admin/registration-tokens/" + spareToken).then().statusCode(204);

        Agents.Registered agent = Agents.withDatabase("contract");
        String db = Agents.databaseId(agent, "contract");
        String target = Agents.target(admin);

        // jobs through every stage: completed ones (the last far smaller: size_anomaly) and a failed one
        for (long size : List.of(2_400_000L, 2_500_000L, 2_300_000L, 2_200_000L)) {
            Agents.complete(agent, Agents.startJob(agent, db, target), size);
        }
        String small = Agents.startJob(agent, db, target);
        Agents.status(agent, small, Map.of("status", "dumping")).then().statusCode(200);
        Agents.complete(agent, small, 300_000L);
        String failed = Agents.startJob(agent, db, target);
        Agents.status(agent, failed, Map.of("status", "failed", "errorMessage", "upload refused", "errorCode", "S3_403",
                "durationMs", 1200)).then().statusCode(200);

        // a failed restore verification, schema drift, and an anomaly the agent reports itself
        agent.call().body(Map.of("status", "failed", "checks", List.of(Map.of("checkType", "row_count", "checkName", "users",
                        "status", "failed", "expectedValue", "1000", "actualValue", "12", "deltaPct", -98.8))))
                .when().post("/api/v1/agent/jobs/" + small + "/verification").then().statusCode(201);
        for (List<String> tables : List.of(List.of("users", "orders"), List.of("users"))) {
            agent.call().body(Map.of("databaseId", db, "tableCount", tables.size(), "columnCount", tables.size(),
                            "snapshot", Map.of("tables", tables.stream().map(t -> Map.of("name", t,
                                    "columns", List.of(Map.of("name", "id", "type", "bigint", "nullable", false)))).toList())))
                    .when().post("/api/v1/agent/schema-snapshot").then().statusCode(201);
        }
        agent.call().body(Map.of("type", "size_anomaly", "severity", "warning", "title", "Backup size 60% smaller than average"))
                .when().post("/api/v1/agent/anomaly").then().statusCode(201);

        given().auth().oauth2(admin).when().post("/api/v1/admin/agents/" + agent.id() + "/revoke").then().statusCode(200);

        var jobs = KafkaTopics.await("rewind.agent-jobs", r -> agent.id().equals(r.key()), l -> l.size() >= 27, WAIT);
        assertEquals(Set.of("agent.job.status"), Set.copyOf(EventContracts.assertValid(jobs)));
        assertEquals(Set.of("dumping", "compressing", "encrypting", "uploading", "completed", "failed"),
                Set.copyOf(values(jobs, "stage")));

        var anomalies = KafkaTopics.await("rewind.anomalies", r -> agent.id().equals(r.key()),
                l -> Set.copyOf(values(l, "kind")).size() == 3 && l.size() >= 4, WAIT);
        assertEquals(Set.of("anomaly.detected"), Set.copyOf(EventContracts.assertValid(anomalies)));
        assertEquals(Set.of("size_anomaly", "restore_failure", "schema_drift"), Set.copyOf(values(anomalies, "kind")));

        var audit = KafkaTopics.await("rewind.audit", r -> Set.of(agent.id(), spareToken).contains(r.key()), l -> l.size() >= 4, WAIT);
        assertEquals(Set.of("audit.recorded"), Set.copyOf(EventContracts.assertValid(audit)));
        assertEquals(new TreeSet<>(List.of("agent.registration_token.created", "agent.registration_token.revoked",
                "agent.registered", "agent.key.revoked")), new TreeSet<>(values(audit, "action")));
        audit.forEach(r -> assertEquals("agent-gateway", EventContracts.headers(r).get("ce_source")));
    }
}
