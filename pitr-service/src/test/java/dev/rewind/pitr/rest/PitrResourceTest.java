package dev.rewind.pitr.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.PitrRun;
import dev.rewind.testing.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PitrResourceTest {

    private static PitrRun stored(String tenant, UUID serverId, String status) throws Throwable {
        PitrRun run = new PitrRun();
        run.id = UUID.randomUUID();
        run.tenant = tenant;
        run.serverId = serverId;
        run.serverName = "db-1";
        run.targetTime = OffsetDateTime.of(2026, 4, 10, 14, 30, 0, 0, ZoneOffset.UTC);
        run.status = status;
        run.phase = status.equals("completed") ? "complete" : "failed";
        run.startedAt = OffsetDateTime.now(ZoneOffset.UTC);
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(run::persist));
    }

    @Test
    void runsOfAServerAreListedAndFilteredByStatus() throws Throwable {
        UUID server = UUID.randomUUID();
        PitrRun done = stored("acme", server, "completed");
        PitrRun failed = stored("acme", server, "failed");

        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/servers/" + server + "/pitr")
                .then().statusCode(200).body("id", containsInAnyOrder(done.id.toString(), failed.id.toString()))
                .body("target_time", everyItem(is("2026-04-10T14:30:00Z")));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("status", "failed")
                .when().get("/servers/" + server + "/pitr")
                .then().statusCode(200).body("id", contains(failed.id.toString()));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/servers/" + server + "/pitr/" + done.id)
                .then().statusCode(200).body("phase", is("complete"));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("limit", "500")
                .when().get("/servers/" + server + "/pitr")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("limit"));
    }

    @Test
    void anotherTenantsRunIsNotFound() throws Throwable {
        UUID server = UUID.randomUUID();
        PitrRun run = stored("acme", server, "completed");

        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/servers/" + server + "/pitr/" + run.id)
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/servers/" + server + "/pitr")
                .then().statusCode(200).body("$", empty());
    }

    @Test
    void pitrNeedsATokenWithBackupCreate() {
        String path = "/servers/" + UUID.randomUUID() + "/pitr";
        given().when().get(path).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().get(path)
                .then().statusCode(403).contentType("application/problem+json");
    }
}
