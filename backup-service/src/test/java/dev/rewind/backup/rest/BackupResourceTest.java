package dev.rewind.backup.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.S3Objects;
import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /backup and DELETE /backup/history/{id}: validation, tenants, scopes, the rate limit, failures, deletion. */
@QuarkusTest
class BackupResourceTest {

    static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);

    @Test
    void triggerNeedsATokenWithBackupCreate() {
        given().contentType("application/json").body("{\"server_id\":\"" + UUID.randomUUID() + "\"}")
                .when().post("/backup").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).contentType("application/json")
                .body("{\"server_id\":\"" + UUID.randomUUID() + "\"}")
                .when().post("/backup").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void badBodiesAre400Problems() {
        given().auth().oauth2(ADMIN).contentType("application/json").body("{}")
                .when().post("/backup").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("server_id"));
        given().auth().oauth2(ADMIN).contentType("application/json").body("{\"server_id\":\"123\"}")
                .when().post("/backup").then().statusCode(400).body("errors.field", hasItem("server_id"));
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"" + UUID.randomUUID() + "\",\"databases\":[\"x; drop table y\"]}")
                .when().post("/backup").then().statusCode(400).body("errors.field", hasItem("databases"));
        given().auth().oauth2(ADMIN).contentType("application/json").body("{not json")
                .when().post("/backup").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aServerJustRegisteredCanBeBackedUpAtOnceButStaysAnotherTenantsNotFound() {
        // server-registry has it; its server.registered has not reached this service's projection (it never will here)
        UUID fresh = TestServers.knownOnlyToTheRegistry("acme");
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).contentType("application/json")
                .body("{\"server_id\":\"" + fresh + "\"}").when().post("/backup")
                .then().statusCode(404).contentType("application/problem+json");
        String id = given().auth().oauth2(ADMIN).contentType("application/json").body("{\"server_id\":\"" + fresh + "\"}")
                .when().post("/backup").then().statusCode(202).extract().jsonPath().getString("backup_id");
        assertThat(Backups.entry(UUID.fromString(id)).serverId, is(fresh));
        // a schedule right after registration is accepted too
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"" + TestServers.knownOnlyToTheRegistry("acme") + "\",\"schedule_cron\":\"0 3 * * *\"}")
                .when().post("/backup/schedules").then().statusCode(201);
    }

    @Test
    void aServerNotProjectedYetWhileServerRegistryIsDownIsA503NotA404() {
        UUID fresh = TestServers.knownOnlyToTheRegistry("acme");
        TestServers.registryDown(true);
        try {
            given().auth().oauth2(ADMIN).contentType("application/json").body("{\"server_id\":\"" + fresh + "\"}")
                    .when().post("/backup").then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", notNullValue());
        } finally {
            TestServers.registryDown(false);
        }
    }

    @Test
    void unknownOrAnotherTenantsServerIsNotFound() {
        UUID globexServer = TestServers.withoutConnection("globex");
        given().auth().oauth2(ADMIN).contentType("application/json").body("{\"server_id\":\"" + UUID.randomUUID() + "\"}")
                .when().post("/backup").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(ADMIN).contentType("application/json").body("{\"server_id\":\"" + globexServer + "\"}")
                .when().post("/backup").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void decommissionedServerTakesNoBackup() {
        UUID server = TestServers.withoutConnection("acme");
        TestServers.decommission(server, "acme");
        given().auth().oauth2(ADMIN).contentType("application/json").body("{\"server_id\":\"" + server + "\"}")
                .when().post("/backup").then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void moreRequestsThanTheLimitPerUserAre429WithRetryAfter() {
        String globex = Tokens.user(Tokens.GLOBEX_ADMIN);
        // this test owns globex-admin's on-demand history: forget earlier runs' requests so the window starts empty
        Backups.sql("delete from backup where requested_by = ?1 and schedule_id is null", subjectOf(globex));
        UUID server = TestServers.withoutConnection("globex");
        int limit = Integer.parseInt(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("rewind.backup.rate-limit.max-requests", String.class));
        for (int i = 0; i < limit; i++) {
            given().auth().oauth2(globex).contentType("application/json").body("{\"server_id\":\"" + server + "\"}")
                    .when().post("/backup").then().statusCode(202).body("status", is("running"));
        }
        String retryAfter = given().auth().oauth2(globex).contentType("application/json").body("{\"server_id\":\"" + server + "\"}")
                .when().post("/backup")
                .then().statusCode(429).contentType("application/problem+json")
                .body("detail", containsString("try again"))
                .extract().header("Retry-After");
        assertThat(Integer.parseInt(retryAfter), allOf(greaterThan(3500), lessThanOrEqualTo(3600)));
        // the limit is per user: another user is not affected
        given().auth().oauth2(ADMIN).contentType("application/json").body("{\"server_id\":\"" + UUID.randomUUID() + "\"}")
                .when().post("/backup").then().statusCode(404);
    }

    @Test
    void wrongPasswordGivesAFailedEntryWithAReadableErrorAndNoS3Objects() {
        UUID server = TestServers.register("acme", "wrong-password", "127.0.0.1",
                Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT")), LocalStack.env("REWIND_SOURCE_USER"), "not-the-password");
        UUID backupId = Backups.requestOf(server, "shop");
        JsonPath entry = Backups.awaitFinished(backupId, ADMIN);

        assertEquals("failed", entry.getString("status"));
        assertEquals("failed", entry.getString("phase"));
        assertThat(entry.getString("error_message"), allOf(startsWith("Cannot connect to 127.0.0.1:"), containsString("access denied"),
                not(containsString("not-the-password"))));
        assertThat(entry.getString("s3_path"), nullValue());
        assertThat(S3Objects.list("backups/acme/" + server + "/"), empty());
        assertThat(KafkaTopics.read("rewind.backups", r -> r.key().equals(server.toString()), Duration.ofSeconds(1)).stream()
                .map(r -> new String(r.headers().lastHeader("ce_type").value())).toList(),
                hasItems("dev.rewind.backup.started", "dev.rewind.backup.failed"));
    }

    @Test
    void anUnreachableSourceFailsTheBackupWithoutSayingWhatListensThere() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        int kafka = Integer.parseInt(LocalStack.env("KAFKA_BOOTSTRAP_SERVERS").replaceAll(".*:", ""));
        String nothing = Backups.awaitFinished(Backups.requestOf(TestServers.register("acme", "closed-port", "127.0.0.1", closed,
                "rewind", "rewind"), "shop"), ADMIN).getString("error_message");
        String other = Backups.awaitFinished(Backups.requestOf(TestServers.register("acme", "kafka-port", "127.0.0.1", kafka,
                "rewind", "rewind"), "shop"), ADMIN).getString("error_message");
        assertThat(nothing, containsString("no MySQL or MariaDB server answered"));
        assertEquals(nothing.replace(":" + closed, ":PORT"), other.replace(":" + kafka, ":PORT"));
    }

    @Test
    void deletingABackupRemovesItsObjectsAndMarksItDeleted() throws Exception {
        UUID server = TestServers.mariadb("acme");
        JsonPath entry;
        try (SourceSchema schema = SourceSchema.withSampleData(Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT")))) {
            UUID backupId = Backups.requestOf(server, schema.name);
            entry = Backups.awaitFinished(backupId, ADMIN);
        }
        assertEquals("completed", entry.getString("status"));
        String id = entry.getString("id");
        String prefix = S3Objects.keyOf(entry.getString("s3_path"));
        assertThat(S3Objects.list(prefix), not(empty()));

        given().when().delete("/backup/history/" + id).then().statusCode(401);
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().delete("/backup/history/" + id).then().statusCode(403);
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().delete("/backup/history/" + id).then().statusCode(404);
        given().auth().oauth2(ADMIN).when().delete("/backup/history/not-a-uuid").then().statusCode(404);

        given().auth().oauth2(ADMIN).when().delete("/backup/history/" + id).then().statusCode(204);
        assertThat(S3Objects.list(prefix), empty());
        given().auth().oauth2(ADMIN).when().get("/backup/history/" + id).then().statusCode(200).body("status", is("deleted"));
        given().auth().oauth2(ADMIN).when().delete("/backup/history/" + id).then().statusCode(409);

        assertThat(KafkaTopics.read("rewind.backups", r -> r.key().equals(server.toString()), Duration.ofSeconds(1)).stream()
                .filter(r -> new String(r.headers().lastHeader("ce_type").value()).equals("dev.rewind.backup.deleted"))
                .map(r -> r.value()).toList(), hasItem(allOf(containsString(id), containsString("\"reason\":\"deleted\""))));
        assertThat(KafkaTopics.read("rewind.audit", r -> r.key().equals(id), Duration.ofSeconds(1)).stream()
                .map(r -> r.value()).toList(), hasItem(containsString("\"action\":\"backup.deleted\"")));
    }

    @Test
    void aRunningBackupCannotBeDeleted() {
        UUID server = TestServers.withoutConnection("acme");
        UUID id = UUID.randomUUID();
        // a live worker keeps beating: crash recovery leaves it alone. The beat goes in with the row, so a
        // recovery round between an insert and a later update cannot take the backup for a crashed one.
        Backups.sql("insert into backup (id, tenant, server_id, server_name, backup_tool, status, phase, started_at,"
                + " heartbeat_at) values (?1, 'acme', ?2, 'db', 'mydumper', 'running', 'uploading', now(),"
                + " now() + interval '1 hour')", id, server);
        given().auth().oauth2(ADMIN).when().delete("/backup/history/" + id).then().statusCode(409)
                .contentType("application/problem+json");
        Backups.sql("update backup set status = 'failed', phase = 'failed' where id = ?1", id);
    }

    static String subjectOf(String token) {
        try {
            String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
            return new ObjectMapper().readTree(payload).get("sub").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
