package dev.rewind.backup.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import dev.rewind.backup.Backup;
import dev.rewind.testing.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BackupHistoryResourceTest {

    /** A finished backup of a fresh server, written straight to the database as the backup runner would. */
    private static Backup stored(String tenant, UUID serverId, String status, OffsetDateTime startedAt) throws Throwable {
        Backup backup = new Backup();
        backup.id = UUID.randomUUID();
        backup.tenant = tenant;
        backup.serverId = serverId;
        backup.serverName = "db-1";
        backup.backupTool = "mydumper";
        backup.status = status;
        backup.phase = status.equals("completed") ? "complete" : "failed";
        backup.startedAt = startedAt;
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(backup::persist));
    }

    @Test
    void historyIsNewestFirstAndFiltered() throws Throwable {
        UUID server = UUID.randomUUID();
        OffsetDateTime t0 = OffsetDateTime.of(2026, 4, 13, 2, 0, 0, 0, ZoneOffset.UTC);
        Backup older = stored("acme", server, "completed", t0);
        Backup newer = stored("acme", server, "failed", t0.plusDays(1));

        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("server_id", server.toString())
                .when().get("/backup/history")
                .then().statusCode(200)
                .body("id", contains(newer.id.toString(), older.id.toString()))
                .body("[1].backup_tool", is("mydumper"))
                .body("[1].started_at", is("2026-04-13T02:00:00Z"));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                .queryParam("server_id", server.toString()).queryParam("status", "completed")
                .when().get("/backup/history")
                .then().statusCode(200).body("id", contains(older.id.toString()));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                .queryParam("server_id", server.toString()).queryParam("since", "2026-04-14T00:00:00Z")
                .when().get("/backup/history")
                .then().statusCode(200).body("id", contains(newer.id.toString()));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                .queryParam("server_id", server.toString()).queryParam("limit", "1")
                .when().get("/backup/history")
                .then().statusCode(200).body("id", contains(newer.id.toString()));
    }

    @Test
    void badFiltersAre400Problems() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        given().auth().oauth2(admin).queryParam("limit", "0").when().get("/backup/history")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("limit"));
        given().auth().oauth2(admin).queryParam("limit", "201").when().get("/backup/history")
                .then().statusCode(400).body("errors.field", hasItem("limit"));
        given().auth().oauth2(admin).queryParam("status", "exploded").when().get("/backup/history")
                .then().statusCode(400).body("errors.field", hasItem("status"));
        given().auth().oauth2(admin).queryParam("since", "yesterday").when().get("/backup/history")
                .then().statusCode(400).body("errors.field", hasItem("since"));
        given().auth().oauth2(admin).queryParam("server_id", "123").when().get("/backup/history")
                .then().statusCode(400).body("errors.field", hasItem("server_id"));
    }

    @Test
    void anotherTenantsBackupIsNotFound() throws Throwable {
        Backup backup = stored("acme", UUID.randomUUID(), "completed", OffsetDateTime.now(ZoneOffset.UTC));

        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/backup/history/" + backup.id)
                .then().statusCode(200).body("id", is(backup.id.toString()));
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/backup/history/" + backup.id)
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).queryParam("server_id", backup.serverId.toString())
                .when().get("/backup/history")
                .then().statusCode(200).body("$", empty());
    }

    @Test
    void historyNeedsATokenWithBackupCreate() {
        given().when().get("/backup/history").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().get("/backup/history")
                .then().statusCode(403).contentType("application/problem+json");
    }
}
