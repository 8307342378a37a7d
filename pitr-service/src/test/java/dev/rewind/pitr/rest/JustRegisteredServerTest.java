package dev.rewind.pitr.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Right after POST /servers, before its server.registered reached pitr-service: every per-server endpoint answers as
 * for a known server (asking server-registry), another tenant still gets 404, and the event that arrives later still
 * starts the server's stream.
 */
@QuarkusTest
class JustRegisteredServerTest {

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Test
    void aServerServerRegistryHasButThisServiceHasNotHeardOfYetIsNoFalse404() {
        await().atMost(Duration.ofSeconds(60)).until(() -> !ownership.assignedPartitions().isEmpty());
        UUID id = UUID.randomUUID();
        ServerRegistryStub.Connection server = Sources.MARIADB.connection(id, "acme", "db-fresh-" + id.toString().substring(0, 6),
                "direct");
        ServerRegistryStub.add(server); // registered in server-registry; no event published yet
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        try {
            given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/servers/" + id + "/pitr/coverage")
                    .then().statusCode(404).contentType("application/problem+json");
            given().auth().oauth2(admin).when().get("/servers/" + id + "/pitr/coverage")
                    .then().statusCode(200).body("available", is(false)).body("total_events", is(0));
            given().auth().oauth2(admin).when().get("/servers/" + id + "/events").then().statusCode(200).body("$", empty());
            // a PITR is judged on its merits: nothing indexed yet, no baseline — 422, not 404
            given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("target_time", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).toString()))
                    .when().post("/servers/" + id + "/pitr").then().statusCode(422).contentType("application/problem+json");
            given().auth().oauth2(admin).when().get("/servers/" + UUID.randomUUID() + "/pitr/coverage").then().statusCode(404);

            // its server.registered arrives: it is streamed as any server
            ServerEvents.registered(server);
            await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.streaming(id));
        } finally {
            ServerEvents.decommissioned(server);
        }
    }
}
