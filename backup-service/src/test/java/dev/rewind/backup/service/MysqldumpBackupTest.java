package dev.rewind.backup.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.S3Objects;
import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.backup.support.Verifications;
import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code backup_tool: mysqldump}: one SQL file per database with the snapshot's binlog position, uploaded with the
 * manifest, restorable with the mariadb client; verified with the client; announced as a mysqldump backup.
 */
@QuarkusTest
class MysqldumpBackupTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);

    @Test
    void mysqldumpBackupOfMariaDbCompletesAndItsFileRestoresWithTheClient() throws Exception {
        int port = Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT"));
        mysqldumpBackupRestores(TestServers.mariadb("acme"), port, true);
    }

    @Test
    void mysqldumpBackupOfMySql8CompletesAndItsFileRestoresWithTheClient() throws Exception {
        int port = Integer.parseInt(LocalStack.env("REWIND_MYSQL8_PORT"));
        mysqldumpBackupRestores(TestServers.mysql8("acme"), port, false);
    }

    private void mysqldumpBackupRestores(UUID server, int port, boolean mariadb) throws Exception {
        try (SourceSchema schema = SourceSchema.withSampleData(port)) {
            Map<String, Long> sourceCounts = schema.rowCounts();
            String id = given().auth().oauth2(ADMIN).contentType("application/json")
                    .body("{\"server_id\":\"%s\",\"databases\":[\"%s\"],\"backup_tool\":\"mysqldump\"}".formatted(server, schema.name))
                    .when().post("/backup")
                    .then().statusCode(202).extract().path("backup_id");
            UUID backupId = UUID.fromString(id);
            JsonPath entry = Backups.awaitFinished(backupId, ADMIN);

            assertEquals("completed", entry.getString("status"), () -> "error: " + entry.getString("error_message")
                    + " / verification: " + entry.getString("verification.reason"));
            assertThat(entry.getString("backup_tool"), is("mysqldump"));
            assertThat(entry.getString("binlog_file"), not(emptyOrNullString()));
            assertThat(entry.getLong("binlog_position"), greaterThan(0L));
            if (mariadb) {
                assertThat(entry.getString("gtid_set"), matchesPattern("\\d+-\\d+-\\d+.*"));
            }
            // the restore verification restored it with the client into the verifier of the same kind
            assertThat(entry.getString("verification.status"), is("passed"));
            assertThat(entry.getList("verification.checks"), hasSize(6));
            assertEquals("", Verifications.scratchDatabasesLeft(port, backupId));

            String prefix = S3Objects.keyOf(entry.getString("s3_path"));
            Map<String, Long> sizes = new HashMap<>();
            for (S3Object object : S3Objects.list(prefix)) {
                sizes.put(object.key().substring(prefix.length()), object.size());
            }
            assertEquals(Map.of(schema.name + ".sql.gz", sizes.get(schema.name + ".sql.gz"), "manifest.json",
                    sizes.get("manifest.json")), sizes, "one file per database and the manifest");
            JsonNode manifest = JSON.readTree(S3Objects.get(prefix + "manifest.json"));
            assertThat(manifest.get("backup_tool").asText(), is("mysqldump"));
            JsonNode file = manifest.get("files").get(0);
            byte[] gz = S3Objects.get(prefix + file.get("name").asText());
            assertEquals(file.get("size_bytes").asLong(), gz.length);
            assertEquals(file.get("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(gz)));
            Map<String, Long> dumped = new HashMap<>();
            manifest.get("tables").forEach(t -> dumped.put(t.get("table").asText(), t.get("rows").asLong()));
            assertEquals(sourceCounts, dumped);

            String restored = "bk_restore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            Path sql = Files.createTempFile("bk-mysqldump", ".sql");
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
                Files.copy(in, sql, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                schema.sql("create database " + restored);
                ProcessBuilder builder = new ProcessBuilder("mariadb", "-h", "127.0.0.1", "-P", Integer.toString(port), "-u", "root",
                        restored).redirectErrorStream(true).redirectInput(sql.toFile());
                builder.environment().put("MYSQL_PWD", LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"));
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes());
                assertTrue(process.waitFor(120, TimeUnit.SECONDS));
                assertEquals(0, process.exitValue(), "mariadb client: " + output);
                assertEquals(sourceCounts, schema.rowCounts(restored));
                assertEquals("line one\\nline two", schema.sql("select note from " + restored + ".customers where id = 1").strip());
            } finally {
                schema.sql("drop database if exists " + restored);
                Files.deleteIfExists(sql);
            }

            JsonNode completed = JSON.readTree(KafkaTopics.await("rewind.backups", r -> r.key().equals(server.toString())
                    && new String(r.headers().lastHeader("ce_type").value()).endsWith("completed"),
                    found -> !found.isEmpty(), Duration.ofSeconds(30)).get(0).value());
            assertThat(completed.get("backup_tool").asText(), is("mysqldump"));
        }
    }

    @Test
    void aScheduleMayTakeMysqldumpBackups() {
        UUID server = TestServers.mariadb("acme");
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"%s\",\"schedule_cron\":\"0 3 * * *\",\"backup_tool\":\"mysqldump\"}".formatted(server))
                .when().post("/backup/schedules")
                .then().statusCode(201).body("backup_tool", is("mysqldump"));
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"%s\",\"backup_tool\":\"xtrabackup\"}".formatted(server))
                .when().post("/backup")
                .then().statusCode(400).body("errors.backup_tool", notNullValue());
    }
}
