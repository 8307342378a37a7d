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
import java.util.ArrayList;
import java.util.List;
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
        run.phase = switch (status) {
            case "completed" -> "complete";
            case "running" -> "preparing";
            default -> "failed";
        };
        run.heartbeatAt = run.startedAt == null ? OffsetDateTime.now(ZoneOffset.UTC) : run.startedAt;
        run.instance = "elsewhere";
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
    void aTenantWithAsManyRunsRunningAsItMayIsToldToComeBack() throws Throwable {
        List<PitrRun> running = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                running.add(stored("globex", UUID.randomUUID(), "running"));
            }
            UUID server = UUID.randomUUID();
            ServerRegistryStub.add(Sources.MARIADB.connection(server, "globex", "db-" + server.toString().substring(0, 6), "direct"));
            given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).contentType("application/json")
                    .body("{\"target_time\":\"" + OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1) + "\"}")
                    .when().post("/servers/" + server + "/pitr")
                    .then().statusCode(429).contentType("application/problem+json").header("Retry-After", notNullValue())
                    .body("detail", containsString("4 PITR runs running"));
        } finally {
            for (PitrRun run : running) {
                VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> PitrRun.<PitrRun>findById(run.id)
                        .invoke(r -> {
                            r.status = "failed";
                            r.phase = "failed";
                        })));
            }
        }
    }

    @Test
    void pitrNeedsATokenWithBackupCreate() {
        String path = "/servers/" + UUID.randomUUID() + "/pitr";
        given().when().get(path).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().get(path)
                .then().statusCode(403).contentType("application/problem+json");
    }
}
