package dev.rewind.runs.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.commons.messaging.ProcessedEvent;
import dev.rewind.runs.Reports;
import dev.rewind.testing.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Every backup anywhere lands in the ledger once: backup-service's and the agents', even when delivered twice. */
@QuarkusTest
class RunEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static String backupCompleted(String backupId, String serverId, String serverName) {
        return """
                {"backup_id":"%s","server_id":"%s","tenant":"acme","server_name":"%s","schedule_id":null,
                 "backup_tool":"mydumper","started_at":"2026-05-12T02:00:00Z",
                 "s3_path":"s3://rewind-backups/backups/acme/%s/2026-05-12/020000/","size_bytes":52428800,
                 "duration_ms":273000,"binlog_file":"mysql-bin.000042","binlog_position":1337,"gtid_set":"0-1-1394",
                 "tables":[{"schema":"shop","table":"orders","rows":1000},{"schema":"shop","table":"customers","rows":50}],
                 "completed_at":"2026-05-12T02:04:33Z"}""".formatted(backupId, serverId, serverName, serverId);
    }

    private static String backupFailed(String backupId, String serverId, String serverName) {
        return """
                {"backup_id":"%s","server_id":"%s","tenant":"acme","server_name":"%s","schedule_id":"%s",
                 "backup_tool":"mydumper","error_message":"mydumper exited with 2","started_at":"2026-05-12T03:00:00Z",
                 "completed_at":"2026-05-12T03:00:09Z"}""".formatted(backupId, serverId, serverName, UUID.randomUUID());
    }

    private static String jobStatus(String jobId, String agentId, String stage) {
        boolean done = stage.equals("completed") || stage.equals("failed");
        return """
                {"job_id":"%s","agent_id":"%s","tenant":"acme","hostname":"db-01.example","database_id":"%s",
                 "database_name":"billing","target_id":"%s","schedule_id":null,"stage":"%s","size_bytes":%s,
                 "compressed_size_bytes":%s,"path":"/backups/billing.sql.zst","duration_ms":%s,"error":%s,"error_code":%s,
                 "encrypted":true,"started_at":"2026-05-12T01:00:00Z","updated_at":"2026-05-12T01:03:00Z","completed_at":%s}"""
                .formatted(jobId, agentId, UUID.randomUUID(), UUID.randomUUID(), stage,
                        done ? "2048" : "null", done ? "512" : "null", done ? "180000" : "null",
                        stage.equals("failed") ? "\"upload refused\"" : "null", stage.equals("failed") ? "\"S3_403\"" : "null",
                        done ? "\"2026-05-12T01:03:00Z\"" : "null");
    }

    /** The tenant acme's run once it is in the ledger (waits up to a minute). */
    static ValidatableResponse awaitRun(String runId) {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                given().auth().oauth2(admin).when().get("/v1/backup-runs/" + runId).then().statusCode(200));
        return given().auth().oauth2(admin).when().get("/v1/backup-runs/" + runId).then().statusCode(200);
    }

    /** How many idempotency marks the event left (1 once handled, 0 when it was no run). */
    static long marks(String eventId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> ProcessedEvent.count("key.eventId", eventId)));
    }

    @Test
    void aCompletedBackupBecomesOneSuccessfulRunEvenWhenDeliveredTwice() throws Throwable {
        String backupId = UUID.randomUUID().toString();
        String serverId = UUID.randomUUID().toString();
        String serverName = "shop-" + serverId.substring(0, 8);
        ProducerRecord<String, String> completed = CloudEvents.event("rewind.backups", serverId, "backup.completed",
                "backup-service", backupId, "acme", backupCompleted(backupId, serverId, serverName));
        CloudEvents.send(completed);

        String receivedAt = awaitRun("backup-" + backupId)
                .body("job_name", is(serverName)).body("agent_id", is("backup-service")).body("source", is("backup-service"))
                .body("status", is("success")).body("start_time", is("2026-05-12T02:00:00Z"))
                .body("end_time", is("2026-05-12T02:04:33Z")).body("bytes_backed_up", is(52428800))
                .body("error", nullValue()).body("metadata.backup_id", is(backupId)).body("metadata.server_id", is(serverId))
                .body("metadata.binlog_position", is(1337)).body("metadata.table_count", is(2))
                .body("metadata.s3_path", startsWith("s3://rewind-backups/backups/acme/"))
                .extract().path("received_at");

        // redelivered twice, then a later event of the same server (same key: same partition, after them)
        String laterBackup = UUID.randomUUID().toString();
        CloudEvents.send(completed, completed, CloudEvents.event("rewind.backups", serverId, "backup.failed",
                "backup-service", laterBackup, "acme", backupFailed(laterBackup, serverId, serverName)));
        awaitRun("backup-" + laterBackup).body("status", is("failure")).body("error", is("mydumper exited with 2"))
                .body("job_name", is(serverName));

        awaitRun("backup-" + backupId).body("received_at", is(receivedAt)); // the redeliveries had no effect
        assertEquals(1, Reports.rows("acme", "backup-" + backupId));
        assertEquals(1, marks(CloudEvents.id(completed)));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("job_name", serverName).when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains("backup-" + laterBackup, "backup-" + backupId));
    }

    @Test
    void aReportCannotOverwriteARunTheServicesRecordedFromTheirEvents() throws Throwable {
        String backupId = UUID.randomUUID().toString();
        String serverId = UUID.randomUUID().toString();
        CloudEvents.send(CloudEvents.event("rewind.backups", serverId, "backup.failed", "backup-service", backupId, "acme",
                backupFailed(backupId, serverId, "shop")));
        String runId = "backup-" + backupId;
        String receivedAt = awaitRun(runId).body("status", is("failure")).extract().path("received_at");

        // a tenant's reporter token, and an admin's own token, try to turn the failure into a success
        String reporter = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType("application/json")
                .body(java.util.Map.of("name", "forger-" + backupId.substring(0, 8))).when().post("/v1/api-tokens")
                .then().statusCode(201).extract().path("token");
        java.util.Map<String, Object> forged = Reports.report(runId, "shop"); // status success
        for (String bearer : new String[] {reporter, Tokens.user(Tokens.ACME_ADMIN)}) {
            Reports.submit(bearer, forged).statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("recorded by a Rewind service"));
        }
        awaitRun(runId).body("status", is("failure")).body("source", is("backup-service")).body("received_at", is(receivedAt));

        // a run the reporter made itself it may still correct
        java.util.Map<String, Object> own = Reports.report(Reports.job());
        Reports.submit(reporter, own).statusCode(201);
        Reports.submit(reporter, Reports.with(own, "bytes_backed_up", 5)).statusCode(201).body("bytes_backed_up", is(5));
    }

    @Test
    void aFinishedAgentJobBecomesOneRunOfTheAgentEvenWhenDeliveredTwice() throws Throwable {
        String agentId = UUID.randomUUID().toString();
        String jobId = UUID.randomUUID().toString();
        ProducerRecord<String, String> uploading = CloudEvents.event("rewind.agent-jobs", agentId, "agent.job.status",
                "agent-gateway", jobId, "acme", jobStatus(jobId, agentId, "uploading"));
        ProducerRecord<String, String> completed = CloudEvents.event("rewind.agent-jobs", agentId, "agent.job.status",
                "agent-gateway", jobId, "acme", jobStatus(jobId, agentId, "completed"));
        CloudEvents.send(uploading, completed, completed);

        awaitRun("agent-job-" + jobId)
                .body("job_name", is("billing@db-01.example")).body("agent_id", is(agentId)).body("source", is(agentId))
                .body("status", is("success")).body("bytes_backed_up", is(2048)).body("encrypted", is(true))
                .body("encryption_status", is("encrypted")).body("start_time", is("2026-05-12T01:00:00Z"))
                .body("end_time", is("2026-05-12T01:03:00Z")).body("metadata.job_id", is(jobId))
                .body("metadata.compressed_size_bytes", is(512));

        String failedJob = UUID.randomUUID().toString();
        ProducerRecord<String, String> failed = CloudEvents.event("rewind.agent-jobs", agentId, "agent.job.status",
                "agent-gateway", failedJob, "acme", jobStatus(failedJob, agentId, "failed"));
        CloudEvents.send(failed, failed);
        awaitRun("agent-job-" + failedJob).body("status", is("failure")).body("error", is("upload refused"))
                .body("metadata.error_code", is("S3_403"));

        assertEquals(1, Reports.rows("acme", "agent-job-" + jobId));
        assertEquals(1, Reports.rows("acme", "agent-job-" + failedJob));
        assertEquals(1, marks(CloudEvents.id(completed)));
        assertEquals(1, marks(CloudEvents.id(failed)));
        assertEquals(0, marks(CloudEvents.id(uploading))); // progress is not a run
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("agent_id", agentId).when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", containsInAnyOrder("agent-job-" + jobId, "agent-job-" + failedJob));
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/v1/backup-runs/agent-job-" + jobId)
                .then().statusCode(404);
    }

    @Test
    void aMalformedRecordIsSkippedAndTheNextOneStillArrives() throws Throwable {
        String serverId = UUID.randomUUID().toString();
        ProducerRecord<String, String> notCloudEvent = new ProducerRecord<>("rewind.backups", serverId, "{\"backup_id\":\"x\"}");
        ProducerRecord<String, String> notJson = CloudEvents.event("rewind.backups", serverId, "backup.completed",
                "backup-service", "x", "acme", "this is not json");
        String badTimes = UUID.randomUUID().toString();
        ProducerRecord<String, String> endBeforeStart = CloudEvents.event("rewind.backups", serverId, "backup.completed",
                "backup-service", badTimes, "acme", backupCompleted(badTimes, serverId, "shop")
                        .replace("\"completed_at\":\"2026-05-12T02:04:33Z\"", "\"completed_at\":\"2026-05-12T01:00:00Z\""));
        String good = UUID.randomUUID().toString();
        CloudEvents.send(notCloudEvent, notJson, endBeforeStart, CloudEvents.event("rewind.backups", serverId,
                "backup.completed", "backup-service", good, "acme", backupCompleted(good, serverId, "shop-" + good)));

        awaitRun("backup-" + good).body("status", is("success"));
        assertEquals(0, Reports.rows("acme", "backup-" + badTimes));
    }
}
