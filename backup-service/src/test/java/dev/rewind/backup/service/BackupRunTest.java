package dev.rewind.backup.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Backups of the real MariaDB and MySQL 8 sources through the whole path: registry, mydumper, S3, manifest, events. */
@QuarkusTest
class BackupRunTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);

    static int mariadb() {
        return Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT"));
    }

    static int mysql8() {
        return Integer.parseInt(LocalStack.env("REWIND_MYSQL8_PORT"));
    }

    @Test
    void onDemandBackupOfMariaDbCompletesAndRestoresWithTheSameRowCounts() throws Throwable {
        onDemandBackupCompletesAndRestores(TestServers.mariadb("acme"), mariadb());
    }

    @Test
    void onDemandBackupOfMySql8CompletesAndRestoresWithTheSameRowCounts() throws Throwable {
        onDemandBackupCompletesAndRestores(TestServers.mysql8("acme"), mysql8());
    }

    @Test
    void scheduledBackupOfMariaDbCompletesAndKeepsTheScheduleCurrent() throws Throwable {
        scheduledBackupCompletes(TestServers.mariadb("acme"), mariadb());
    }

    @Test
    void scheduledBackupOfMySql8CompletesAndKeepsTheScheduleCurrent() throws Throwable {
        scheduledBackupCompletes(TestServers.mysql8("acme"), mysql8());
    }

    private void onDemandBackupCompletesAndRestores(UUID server, int port) throws Throwable {
        try (SourceSchema schema = SourceSchema.withSampleData(port)) {
            Map<String, Long> sourceCounts = schema.rowCounts();
            UUID backupId = Backups.requestOf(server, schema.name);
            JsonPath entry = Backups.awaitFinished(backupId, ADMIN);

            assertEquals("completed", entry.getString("status"), () -> "error: " + entry.getString("error_message"));
            assertThat(entry.getString("phase"), is("complete"));
            assertThat(entry.getString("s3_path"), matchesPattern(
                    "s3://" + S3Objects.BUCKET + "/backups/acme/" + server + "/\\d{4}-\\d{2}-\\d{2}/\\d{6}/"));
            assertThat(entry.getLong("size_bytes"), greaterThan(0L));
            assertThat(entry.getLong("duration_ms"), greaterThanOrEqualTo(0L));
            assertThat(entry.getString("binlog_file"), not(emptyOrNullString()));
            assertThat(entry.getLong("binlog_position"), greaterThan(0L));
            if (port == mysql8()) {
                assertThat(entry.getString("gtid_set"), containsString(":"));
            }

            String prefix = S3Objects.keyOf(entry.getString("s3_path"));
            JsonNode manifest = manifestMatchesTheObjects(prefix, entry.getLong("size_bytes"));
            Map<String, Long> dumped = new HashMap<>();
            manifest.get("tables").forEach(t -> {
                assertThat(t.get("schema").asText(), is(schema.name));
                dumped.put(t.get("table").asText(), t.get("rows").asLong());
            });
            assertEquals(sourceCounts, dumped);

            String restored = "bk_restore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            try {
                restore(prefix, port, restored);
                assertEquals(sourceCounts, schema.rowCounts(restored));
                assertEquals("line one\\nline two", schema.sql("select note from " + restored + ".customers where id = 1").strip());
            } finally {
                schema.sql("drop database if exists " + restored);
            }

            List<ConsumerRecord<String, String>> events = KafkaTopics.read("rewind.backups",
                    r -> r.key().equals(server.toString()), Duration.ofSeconds(2));
            assertThat(events.stream().map(r -> new String(r.headers().lastHeader("ce_type").value())).toList(),
                    hasItems("dev.rewind.backup.started", "dev.rewind.backup.completed"));
            JsonNode completed = JSON.readTree(events.stream()
                    .filter(r -> new String(r.headers().lastHeader("ce_type").value()).endsWith("completed"))
                    .findFirst().orElseThrow().value());
            assertEquals(backupId.toString(), completed.get("backup_id").asText());
            assertEquals(entry.getString("s3_path"), completed.get("s3_path").asText());
            assertEquals(entry.getString("binlog_file"), completed.get("binlog_file").asText());
            assertEquals(3, completed.get("tables").size());
        }
    }

    private void scheduledBackupCompletes(UUID server, int port) throws Throwable {
        try (SourceSchema schema = SourceSchema.withSampleData(port)) {
            String scheduleId = given().auth().oauth2(ADMIN).contentType("application/json")
                    .body("{\"server_id\":\"%s\",\"schedule_cron\":\"0 3 * * *\",\"retention_days\":7,\"databases\":[\"%s\"]}"
                            .formatted(server, schema.name))
                    .when().post("/backup/schedules")
                    .then().statusCode(201).extract().path("id");
            // the due time arrives: next_run moves into the past, as it would at 03:00 UTC
            Backups.sql("update backup_schedule set next_run = now() - interval '1 second' where id = ?1", UUID.fromString(scheduleId));

            await().atMost(Duration.ofSeconds(30)).until(() -> !Backups.ofSchedule(UUID.fromString(scheduleId)).isEmpty());
            UUID backupId = Backups.ofSchedule(UUID.fromString(scheduleId)).get(0).id;
            JsonPath entry = Backups.awaitFinished(backupId, ADMIN);
            assertEquals("completed", entry.getString("status"), () -> "error: " + entry.getString("error_message"));
            assertEquals(scheduleId, entry.getString("schedule_id"));
            manifestMatchesTheObjects(S3Objects.keyOf(entry.getString("s3_path")), entry.getLong("size_bytes"));

            given().auth().oauth2(ADMIN).when().get("/backup/schedules/" + scheduleId)
                    .then().statusCode(200)
                    .body("last_status", is("completed"))
                    .body("last_run", notNullValue())
                    .body("next_run", endsWith("T03:00:00Z"));
            assertEquals(1, Backups.ofSchedule(UUID.fromString(scheduleId)).size());
        }
    }

    /** Every file of the manifest is in S3 with its size and SHA-256; the entry's size is their sum. */
    static JsonNode manifestMatchesTheObjects(String prefix, long entrySize) throws Exception {
        JsonNode manifest = JSON.readTree(S3Objects.get(prefix + "manifest.json"));
        Map<String, Long> sizes = new HashMap<>();
        for (S3Object object : S3Objects.list(prefix)) {
            sizes.put(object.key().substring(prefix.length()), object.size());
        }
        long total = 0;
        assertTrue(manifest.get("files").size() > 0);
        for (JsonNode file : manifest.get("files")) {
            String name = file.get("name").asText();
            assertEquals(file.get("size_bytes").asLong(), sizes.get(name), "size of " + name);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(S3Objects.get(prefix + name)));
            assertEquals(file.get("sha256").asText(), sha, "sha256 of " + name);
            total += file.get("size_bytes").asLong();
        }
        assertThat(sizes.keySet(), hasItems("metadata", "manifest.json"));
        assertEquals(manifest.get("files").size() + 1, sizes.size(), "objects besides the manifest are all listed in it");
        assertEquals(entrySize, total);
        return manifest;
    }

    /** myloader restores the dump from S3 into a fresh database. */
    static void restore(String prefix, int port, String database) throws Exception {
        Path dir = Files.createTempDirectory("bk-restore");
        try {
            S3Objects.download(prefix, dir);
            Files.delete(dir.resolve("manifest.json"));
            ProcessBuilder builder = new ProcessBuilder("myloader", "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--user", "root", "--password", LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"),
                    "--directory", dir.toString(), "--database", database, "--overwrite-tables", "--threads", "2")
                    .redirectErrorStream(true);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertTrue(process.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), "myloader: " + output);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
