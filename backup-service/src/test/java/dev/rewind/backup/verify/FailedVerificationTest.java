package dev.rewind.backup.verify;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.S3Objects;
import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.backup.support.Verifications;
import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Verification that cannot succeed: the MySQL verification server points at the MariaDB source, where a MySQL 8
 * dump does not load (utf8mb4_0900 collations); no MariaDB verification server is configured.
 */
@QuarkusTest
@TestProfile(FailedVerificationTest.WrongVerifiers.class)
class FailedVerificationTest {

    static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);

    public static class WrongVerifiers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rewind.backup.verify.mysql.url", "mariadb://127.0.0.1:" + LocalStack.env("REWIND_MARIADB_PORT"),
                    "rewind.backup.verify.mysql.user", "root",
                    "rewind.backup.verify.mysql.password", LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"),
                    "rewind.backup.verify.mariadb.url", " ");
        }
    }

    static int mariadb() {
        return Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT"));
    }

    @Test
    void aMySql8DumpThatDoesNotRestoreFailsTheBackupWithFailedChecksAndAReadableReason() throws Exception {
        int mysql8 = Integer.parseInt(LocalStack.env("REWIND_MYSQL8_PORT"));
        try (SourceSchema schema = SourceSchema.withSampleData(mysql8)) {
            UUID server = TestServers.mysql8("acme");
            UUID backupId = Verifications.request(server, schema.name, null);
            JsonPath entry = Backups.awaitFinished(backupId, ADMIN);

            assertThat(entry.getString("status"), is("failed"));
            assertThat(entry.getString("phase"), is("failed"));
            assertThat(entry.getString("error_message"), allOf(startsWith("Restore verification failed: myloader could not restore "
                    + schema.name), containsString("Unknown collation"), containsString("checks failed")));
            assertThat(entry.getString("verification.status"), is("failed"));
            assertThat(entry.getString("verification.reason"), containsString("utf8mb4_0900"));
            List<Map<String, String>> checks = entry.getList("verification.checks");
            assertThat(checks, hasItem(allOf(hasEntry("check", "row_count"), hasEntry("table", schema.name + ".orders"),
                    hasEntry("status", "failed"), hasEntry("expected", "250"), hasEntry("actual", "missing from the restore"))));
            assertThat(checks, hasItem(allOf(hasEntry("check", "schema_match"), hasEntry("table", schema.name + ".customers"),
                    hasEntry("status", "failed"), hasEntry("actual", "missing from the restore"))));

            // the artifacts stay for inspection (retention or DELETE removes them); no PITR baseline: backup.failed
            assertThat(entry.getString("s3_path"), notNullValue());
            assertThat(S3Objects.list(S3Objects.keyOf(entry.getString("s3_path"))), not(empty()));
            List<String> types = KafkaTopics.await("rewind.backups", r -> r.key().equals(server.toString())
                    && new String(r.headers().lastHeader("ce_type").value()).startsWith("dev.rewind.backup.f"),
                    found -> !found.isEmpty(), Duration.ofSeconds(30)).stream().map(r -> new String(r.headers().lastHeader("ce_type").value())).toList();
            assertThat(types, hasItem("dev.rewind.backup.failed"));
            assertThat(KafkaTopics.read("rewind.backups", r -> r.key().equals(server.toString())
                    && new String(r.headers().lastHeader("ce_type").value()).endsWith("completed"), Duration.ofSeconds(1)), empty());

            assertEquals("", Verifications.scratchDatabasesLeft(mariadb(), backupId), "the scratch database is dropped");
            given().auth().oauth2(ADMIN).when().delete("/backup/history/" + backupId).then().statusCode(204);
            assertThat(S3Objects.list(S3Objects.keyOf(entry.getString("s3_path"))), empty());
        }
    }

    @Test
    void withoutAVerificationServerOfTheSourcesKindTheBackupCompletesAndSaysItWasNotVerified() {
        try (SourceSchema schema = SourceSchema.withSampleData(mariadb())) {
            UUID backupId = Verifications.request(TestServers.mariadb("acme"), schema.name, true);
            JsonPath entry = Backups.awaitFinished(backupId, ADMIN);
            assertEquals("completed", entry.getString("status"), () -> "error: " + entry.getString("error_message"));
            assertThat(entry.getString("source_kind"), is("mariadb"));
            assertThat(entry.getString("verification.status"), is("skipped"));
            assertThat(entry.getString("verification.reason"), containsString("No MariaDB verification server is configured"));
        }
    }
}
