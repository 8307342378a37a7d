package dev.rewind.pitr.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.PitrRun;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
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

    /** A server of acme's that server-registry knows (pitr-service projects it on the first request). */
    private static UUID acmeServer() {
        UUID id = UUID.randomUUID();
        ServerRegistryStub.add(Sources.MARIADB.connection(id, "acme", "db-" + id.toString().substring(0, 6), "direct"));
        return id;
    }

    @Test
    void runsOfAServerAreListedAndFilteredByStatus() throws Throwable {
        UUID server = acmeServer();
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
    void anotherTenantsServerAndItsRunsAreNotFound() throws Throwable {
        UUID server = acmeServer();
        PitrRun run = stored("acme", server, "completed");

        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/servers/" + server + "/pitr/" + run.id)
                .then().statusCode(404).contentType("application/problem+json");
        // the list too: a 200 [] would tell another tenant that the server exists
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/servers/" + server + "/pitr")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/servers/" + UUID.randomUUID() + "/pitr")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/servers/" + server + "/pitr")
                .then().statusCode(200).body("id", contains(run.id.toString()));
    }

    @Test
    void pitrNeedsATokenWithBackupCreate() {
        String path = "/servers/" + UUID.randomUUID() + "/pitr";
        given().when().get(path).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().get(path)
                .then().statusCode(403).contentType("application/problem+json");
    }
}
