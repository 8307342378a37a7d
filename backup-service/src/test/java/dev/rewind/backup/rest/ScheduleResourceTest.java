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
                // a valid cron longer than the column: a 400, not a failed insert
                {"{\"server_id\":\"" + server + "\",\"schedule_cron\":\"" + java.util.stream.IntStream.range(0, 50)
                        .mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(",")) + " 2 * * *\"}", "schedule_cron"},
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

    static final String GLOBEX = Tokens.user(Tokens.GLOBEX_ADMIN);

    /** What globex's enabled schedules of live servers start in their peak hours, together. */
    static long globexLoad() {
        return dev.rewind.backup.support.Backups.db(() -> io.quarkus.hibernate.reactive.panache.Panache.withSession(
                () -> io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(session -> session.createNativeQuery(
                        "select cast(coalesce(sum(s.peak_per_hour), 0) as bigint) from backup_schedule s join server v on v.id = s.server_id"
                                + " and not v.decommissioned where s.tenant = 'globex' and s.enabled", Long.class).getSingleResult())));
    }

    /** A cron that fires {@code n} (1 to 60) times in hour 5 (minutes 0 to n-1) and never else. */
    static String firingTimesAtFive(long n) {
        return (n == 1 ? "0" : "0-" + (n - 1)) + " 5 * * *";
    }

    static io.restassured.response.ValidatableResponse createFor(String token, UUID server, String cron, boolean enabled) {
        return given().auth().oauth2(token).contentType("application/json")
                .body("{\"server_id\":\"" + server + "\",\"schedule_cron\":\"" + cron + "\",\"enabled\":" + enabled + "}")
                .when().post("/backup/schedules").then();
    }

    @Test
    void aTenantsSchedulesTogetherStartAtMostTheCapOfBackupsAnHour() {
        int cap = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("rewind.backup.schedules.max-per-tenant-per-hour", Integer.class);
        UUID server = TestServers.withoutConnection("globex");
        java.util.List<String> filling = new java.util.ArrayList<>();
        try {
            // fill globex's hour up to the cap exactly
            for (long left = cap - globexLoad(); left > 0; left -= Math.min(60, left)) {
                filling.add(createFor(GLOBEX, server, firingTimesAtFive(Math.min(60, left)), true).statusCode(201).extract().path("id"));
            }
            // one more backup an hour, by a new schedule or a re-enabled one, is refused
            createFor(GLOBEX, server, "0 2 * * *", true).statusCode(422).contentType("application/problem+json")
                    .body("detail", allOf(containsString("over the limit of " + cap + " scheduled backups per hour"),
                            containsString("schedule_cron")));
            String sparse = createFor(GLOBEX, server, "0 2 * * *", false).statusCode(201).extract().path("id");
            given().auth().oauth2(GLOBEX).contentType("application/json").body("{\"enabled\":true}")
                    .when().patch("/backup/schedules/" + sparse).then().statusCode(422);
            // another tenant is not affected
            createFor(ADMIN, TestServers.withoutConnection("acme"), "0 2 * * *", false).statusCode(201);
            // room made by disabling one of the filling schedules lets the other one on
            given().auth().oauth2(GLOBEX).contentType("application/json").body("{\"enabled\":false}")
                    .when().patch("/backup/schedules/" + filling.get(0)).then().statusCode(200);
            given().auth().oauth2(GLOBEX).contentType("application/json").body("{\"enabled\":true}")
                    .when().patch("/backup/schedules/" + sparse).then().statusCode(200).body("enabled", is(true));
            filling.add(sparse);
        } finally {
            filling.forEach(id -> given().auth().oauth2(GLOBEX).when().delete("/backup/schedules/" + id).then().statusCode(204));
        }
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
