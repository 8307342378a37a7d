package dev.rewind.backup.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import dev.rewind.backup.support.TestServers;
import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static org.hamcrest.MatcherAssert.assertThat;

/** /backup/schedules: shape and defaults of the reference, validation, tenants and scopes. */
@QuarkusTest
class ScheduleResourceTest {

    static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);

    static String create(UUID server, String extra) {
        return given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"" + server + "\",\"schedule_cron\":\"0 2 * * *\"" + extra + "}")
                .when().post("/backup/schedules")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void createdScheduleHasTheReferenceDefaultsAndIsListed() {
        UUID server = TestServers.withoutConnection("acme");
        String id = given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"" + server + "\",\"schedule_cron\":\"0 2 * * *\"}")
                .when().post("/backup/schedules")
                .then().statusCode(201)
                .header("Location", containsString("/backup/schedules/"))
                .body("server_id", is(server.toString()))
                .body("server_name", is("test-unreachable"))
                .body("schedule_cron", is("0 2 * * *"))
                .body("backup_tool", is("mydumper"))
                .body("retention_days", is(30))
                .body("s3_prefix", nullValue())
                .body("enabled", is(true))
                .body("last_run", nullValue())
                .body("last_status", nullValue())
                .body("next_run", endsWith("T02:00:00Z"))
                .body("created_at", notNullValue())
                .extract().path("id");
        given().auth().oauth2(ADMIN).when().get("/backup/schedules")
                .then().statusCode(200).body("id", hasItem(id));
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/backup/schedules")
                .then().statusCode(200).body("id", not(hasItem(id)));
        assertThat(KafkaTopics.read("rewind.audit", r -> r.key().equals(id), Duration.ofSeconds(1)).stream()
                .map(r -> r.value()).toList(), hasItem(containsString("\"action\":\"backup.schedule.created\"")));
    }

    @Test
    void patchChangesOnlyTheGivenFieldsAndDeleteRemoves() {
        UUID server = TestServers.withoutConnection("acme");
        String id = create(server, ",\"retention_days\":10,\"s3_prefix\":\"nightly\"");
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"enabled\":false,\"retention_days\":7,\"schedule_cron\":\"0 3 * * 0\"}")
                .when().patch("/backup/schedules/" + id)
                .then().statusCode(200)
                .body("enabled", is(false)).body("retention_days", is(7)).body("schedule_cron", is("0 3 * * 0"))
                .body("s3_prefix", is("nightly")).body("next_run", endsWith("T03:00:00Z"));
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).contentType("application/json").body("{\"enabled\":true}")
                .when().patch("/backup/schedules/" + id).then().statusCode(404);
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().delete("/backup/schedules/" + id).then().statusCode(404);
        given().auth().oauth2(ADMIN).when().delete("/backup/schedules/" + id).then().statusCode(204);
        given().auth().oauth2(ADMIN).when().get("/backup/schedules/" + id).then().statusCode(404);
        given().auth().oauth2(ADMIN).when().delete("/backup/schedules/" + id).then().statusCode(404);
        given().auth().oauth2(ADMIN).when().delete("/backup/schedules/nope").then().statusCode(404);
    }

    @Test
    void badFieldsAre400ProblemsNamingTheField() {
        UUID server = TestServers.withoutConnection("acme");
        String[][] cases = {
                {"{\"server_id\":\"" + server + "\",\"schedule_cron\":\"every day\"}", "schedule_cron"},
                {"{\"server_id\":\"" + server + "\",\"schedule_cron\":\"0 2 * * * *\"}", "schedule_cron"},
                {"{\"server_id\":\"" + server + "\",\"schedule_cron\":\"61 2 * * *\"}", "schedule_cron"},
                {"{\"server_id\":\"" + server + "\"}", "schedule_cron"},
                {"{\"schedule_cron\":\"0 2 * * *\"}", "server_id"},
                {"{\"server_id\":\"not-a-uuid\",\"schedule_cron\":\"0 2 * * *\"}", "server_id"},
                {"{\"server_id\":\"" + server + "\",\"schedule_cron\":\"0 2 * * *\",\"retention_days\":0}", "retention_days"},
                {"{\"server_id\":\"" + server + "\",\"schedule_cron\":\"0 2 * * *\",\"retention_days\":366}", "retention_days"},
                {"{\"server_id\":\"" + server + "\",\"schedule_cron\":\"0 2 * * *\",\"backup_tool\":\"xtrabackup\"}", "backup_tool"},
                {"{\"server_id\":\"" + server + "\",\"schedule_cron\":\"0 2 * * *\",\"s3_prefix\":\"../../other-tenant\"}", "s3_prefix"},
                {"{\"server_id\":\"" + server + "\",\"schedule_cron\":\"0 2 * * *\",\"retention_count\":0}", "retention_count"},
        };
        for (String[] c : cases) {
            given().auth().oauth2(ADMIN).contentType("application/json").body(c[0])
                    .when().post("/backup/schedules")
                    .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(c[1]));
        }
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"" + server + "\",\"schedule_cron\":\"0 2 * * *\",\"retention_days\":\"many\"}")
                .when().post("/backup/schedules").then().statusCode(400).contentType("application/problem+json");
        String id = create(server, "");
        given().auth().oauth2(ADMIN).contentType("application/json").body("{\"schedule_cron\":\"0 0 31 2 *\"}")
                .when().patch("/backup/schedules/" + id)
                .then().statusCode(400).body("errors.field", hasItem("schedule_cron"));
        given().auth().oauth2(ADMIN).contentType("application/json").body("{\"retention_days\":400}")
                .when().patch("/backup/schedules/" + id)
                .then().statusCode(400).body("errors.field", hasItem("retention_days"));
    }

    @Test
    void unknownOrAnotherTenantsServerIsNotFound() {
        UUID globexServer = TestServers.withoutConnection("globex");
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"" + UUID.randomUUID() + "\",\"schedule_cron\":\"0 2 * * *\"}")
                .when().post("/backup/schedules").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"" + globexServer + "\",\"schedule_cron\":\"0 2 * * *\"}")
                .when().post("/backup/schedules").then().statusCode(404);
    }

    @Test
    void schedulesNeedATokenWithBackupCreate() {
        String reader = Tokens.user(Tokens.ACME_READER);
        String someId = UUID.randomUUID().toString();
        given().when().get("/backup/schedules").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(reader).when().get("/backup/schedules").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(reader).contentType("application/json").body("{}").when().post("/backup/schedules").then().statusCode(403);
        given().auth().oauth2(reader).contentType("application/json").body("{}").when().patch("/backup/schedules/" + someId).then().statusCode(403);
        given().auth().oauth2(reader).when().delete("/backup/schedules/" + someId).then().statusCode(403);
        given().contentType("application/json").body("{}").when().post("/backup/schedules").then().statusCode(401);
    }
}
