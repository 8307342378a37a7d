package dev.rewind.backup.verify;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.backup.support.Verifications;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Restore verification against the verification servers of the local stack (deploy/local/stack.env: the MariaDB and
 * MySQL 8 sources themselves): the dump in S3 restored with myloader into a scratch database, row counts and columns
 * compared with the source at dump time, the scratch database dropped.
 */
@QuarkusTest
class RestoreVerificationTest {

    static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);
    static final Map<String, String> ALL_PASSED = Map.of("customers", "passed", "empty_one", "passed", "orders", "passed");

    static int mariadb() {
        return Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT"));
    }

    static int mysql8() {
        return Integer.parseInt(LocalStack.env("REWIND_MYSQL8_PORT"));
    }

    @Test
    void onDemandBackupOfMariaDbIsVerifiedWithPassingRowCountAndSchemaChecks() {
        verifiedBackupPasses(TestServers.mariadb("acme"), mariadb(), "mariadb", 150_000);
    }

    @Test
    void onDemandBackupOfMySql8IsVerifiedWithPassingRowCountAndSchemaChecks() {
        verifiedBackupPasses(TestServers.mysql8("acme"), mysql8(), "mysql", 0);
    }

    /** @param bulkRows rows of an extra table, so that the verification lasts long enough to be seen (MariaDB only) */
    private void verifiedBackupPasses(UUID server, int port, String kind, int bulkRows) {
        try (SourceSchema schema = SourceSchema.withSampleData(port)) {
            if (bulkRows > 0) {
                schema.sql("use " + schema.name + "; create table bulk (id int primary key, pad varchar(100));"
                        + "insert into bulk select seq, repeat('x', 100) from seq_1_to_" + bulkRows);
            }
            UUID backupId = Verifications.request(server, schema.name, null);
            Set<String> phases = Verifications.phasesUntilFinished(backupId);
            JsonPath entry = given().auth().oauth2(ADMIN).when().get("/backup/history/" + backupId)
                    .then().statusCode(200).extract().jsonPath();

            assertEquals("completed", entry.getString("status"), () -> "error: " + entry.getString("error_message")
                    + " / verification: " + entry.getString("verification.reason"));
            if (bulkRows > 0) {
                assertThat(phases, hasItem("verifying"));
            }
            assertThat(entry.getString("source_kind"), is(kind));
            assertThat(entry.getString("verification.status"), is("passed"));
            assertThat(entry.getString("verification.reason"), nullValue());
            Map<String, Map<String, String>> checks = Verifications.checkStatuses(entry);
            String prefix = schema.name + ".";
            Map<String, String> tables = withPrefix(prefix);
            if (bulkRows > 0) {
                tables.put(prefix + "bulk", "passed");
            }
            assertEquals(Map.of("row_count", tables, "schema_match", tables), checks);
            List<Map<String, String>> all = entry.getList("verification.checks");
            Map<String, String> orders = all.stream()
                    .filter(c -> c.get("check").equals("row_count") && c.get("table").equals(prefix + "orders")).findFirst().orElseThrow();
            assertThat(orders, allOf(hasEntry("expected", "250"), hasEntry("actual", "250")));
            if (bulkRows > 0) {
                assertThat(all, hasItem(allOf(hasEntry("check", "row_count"), hasEntry("table", prefix + "bulk"),
                        hasEntry("expected", Integer.toString(bulkRows)), hasEntry("actual", Integer.toString(bulkRows)))));
            }
            Map<String, String> customers = all.stream()
                    .filter(c -> c.get("check").equals("schema_match") && c.get("table").equals(prefix + "customers"))
                    .findFirst().orElseThrow();
            assertThat(customers.get("expected"), allOf(startsWith("id int"), containsString("NOT NULL, name varchar(100) NULL, note text NULL")));
            assertEquals(customers.get("expected"), customers.get("actual"));

            assertEquals("", Verifications.scratchDatabasesLeft(port, backupId), "the scratch database is dropped");
            // the list shows the outcome without the checks
            given().auth().oauth2(ADMIN).queryParam("server_id", server.toString())
                    .when().get("/backup/history")
                    .then().statusCode(200)
                    .body("[0].verification.status", is("passed"))
                    .body("[0].verification", not(hasKey("checks")));
        }
    }

    private static Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new java.util.TreeMap<>();
        ALL_PASSED.forEach((table, status) -> result.put(prefix + table, status));
        return result;
    }

    @Test
    void onDemandBackupWithVerifyFalseIsNotVerified() {
        try (SourceSchema schema = SourceSchema.withSampleData(mariadb())) {
            UUID backupId = Verifications.request(TestServers.mariadb("acme"), schema.name, false);
            JsonPath entry = Backups.awaitFinished(backupId, ADMIN);
            assertEquals("completed", entry.getString("status"), () -> "error: " + entry.getString("error_message"));
            assertThat(entry.getString("verification.status"), is("skipped"));
            assertThat(entry.getString("verification.reason"), containsString("not requested"));
            assertThat(entry.getList("verification.checks"), empty());
        }
    }

    @Test
    void aScheduleWithVerifyFalseTakesUnverifiedBackupsAndShowsTheFlag() {
        try (SourceSchema schema = SourceSchema.withSampleData(mysql8())) {
            UUID server = TestServers.mysql8("acme");
            String scheduleId = given().auth().oauth2(ADMIN).contentType("application/json")
                    .body("{\"server_id\":\"%s\",\"schedule_cron\":\"0 3 * * *\",\"databases\":[\"%s\"],\"verify\":false}"
                            .formatted(server, schema.name))
                    .when().post("/backup/schedules")
                    .then().statusCode(201).body("verify", is(false)).extract().path("id");
            Backups.sql("update backup_schedule set next_run = now() - interval '1 second' where id = ?1", UUID.fromString(scheduleId));
            await().atMost(Duration.ofSeconds(30)).until(() -> !Backups.ofSchedule(UUID.fromString(scheduleId)).isEmpty());
            JsonPath entry = Backups.awaitFinished(Backups.ofSchedule(UUID.fromString(scheduleId)).get(0).id, ADMIN);
            assertEquals("completed", entry.getString("status"), () -> "error: " + entry.getString("error_message"));
            assertThat(entry.getString("verification.status"), is("skipped"));

            given().auth().oauth2(ADMIN).contentType("application/json").body("{\"verify\":true}")
                    .when().patch("/backup/schedules/" + scheduleId)
                    .then().statusCode(200).body("verify", is(true));
        }
    }

    @Test
    void aScheduleVerifiesByDefault() {
        UUID server = TestServers.mariadb("acme");
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"%s\",\"schedule_cron\":\"0 3 * * *\"}".formatted(server))
                .when().post("/backup/schedules")
                .then().statusCode(201).body("verify", is(true));
    }
}
