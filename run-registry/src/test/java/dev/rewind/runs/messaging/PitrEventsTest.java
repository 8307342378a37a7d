package dev.rewind.runs.messaging;

import static dev.rewind.runs.messaging.RunEventsTest.awaitRun;
import static dev.rewind.runs.messaging.RunEventsTest.marks;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.runs.Reports;
import dev.rewind.testing.EventContracts;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.Arrays;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Point-in-time recovery runs land in the one ledger once they finish: pitr-service's pitr.completed and pitr.failed
 * on the real rewind.pitr, with the headers of the outbox relay and payloads that keep deploy/events/schemas/pitr.*.
 */
@QuarkusTest
class PitrEventsTest {

    private static final String STARTED_AT = "2026-05-12T04:00:00Z";
    private static final String COMPLETED_AT = "2026-05-12T04:02:30Z";
    private static final String BASELINE = UUID.randomUUID().toString();

    /** One server's recoveries, published as pitr-service publishes them (key = server id). */
    private record Server(String id, String name) {

        static Server create() {
            String id = UUID.randomUUID().toString();
            return new Server(id, "shop-" + id.substring(0, 8));
        }

        ProducerRecord<String, String> started(String pitrId) {
            return event("pitr.started", pitrId, """
                    "status":"running","phase":"preparing","size_bytes":null,"file_count":null,"duration_ms":null,
                    "error_message":null,"completed_at":null""");
        }

        ProducerRecord<String, String> completed(String pitrId) {
            return event("pitr.completed", pitrId, """
                    "status":"completed","phase":"complete","size_bytes":7340032,"file_count":5,"duration_ms":150000,
                    "error_message":null,"completed_at":"%s\"""".formatted(COMPLETED_AT));
        }

        ProducerRecord<String, String> failed(String pitrId) {
            return event("pitr.failed", pitrId, """
                    "status":"failed","phase":"failed","size_bytes":null,"file_count":null,"duration_ms":9000,
                    "error_message":"binlog gap in mysql-bin.000043 before the target","completed_at":"2026-05-12T04:00:09Z\"""");
        }

        private ProducerRecord<String, String> event(String type, String pitrId, String outcome) {
            String payload = """
                    {"pitr_id":"%s","server_id":"%s","tenant":"acme","server_name":"%s",
                     "target_time":"2026-05-12T03:30:00Z","tables_filter":"shop.orders,shop.customers","allow_gaps":false,
                     "baseline_backup_id":"%s","s3_path":"s3://rewind-backups/pitr/acme/%s/20260512T033000Z/2026-05-12/040000-%s/",
                     "started_at":"%s",%s}""".formatted(pitrId, id, name, BASELINE, id, pitrId.substring(0, 8), STARTED_AT,
                    outcome);
            ProducerRecord<String, String> record = CloudEvents.event("rewind.pitr", id, type, "pitr-service", pitrId, "acme",
                    payload);
            EventContracts.assertValid(type, CloudEvents.headers(record), payload); // the fixture keeps the producer's contract
            return record;
        }
    }

    private static ValidatableResponse run(String runId) {
        return given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/v1/backup-runs/" + runId).then();
    }

    /** Sends a completed recovery after the records and waits for its run: the records before it were consumed. */
    @SafeVarargs
    private static void sendThenAwaitMarker(Server server, ProducerRecord<String, String>... records) {
        String marker = UUID.randomUUID().toString();
        ProducerRecord<String, String>[] all = Arrays.copyOf(records, records.length + 1);
        all[records.length] = server.completed(marker);
        CloudEvents.send(all);
        awaitRun("pitr-" + marker).body("status", is("success"));
    }

    @Test
    void aCompletedRecoveryBecomesOneSuccessfulRunOfItsTenantEvenWhenDeliveredTwice() throws Throwable {
        Server server = Server.create();
        String pitrId = UUID.randomUUID().toString();
        ProducerRecord<String, String> completed = server.completed(pitrId);
        CloudEvents.send(server.started(pitrId), completed);

        String receivedAt = awaitRun("pitr-" + pitrId)
                .body("job_name", is("pitr@" + server.name())).body("agent_id", is("pitr-service"))
                .body("source", is("pitr-service")).body("status", is("success"))
                .body("start_time", is(STARTED_AT)).body("end_time", is(COMPLETED_AT))
                .body("bytes_backed_up", is(7340032)).body("error", nullValue())
                .body("encrypted", nullValue()).body("encryption_status", nullValue())
                .body("metadata.kind", is("point_in_time_recovery")).body("metadata.pitr_id", is(pitrId))
                .body("metadata.server_id", is(server.id())).body("metadata.target_time", is("2026-05-12T03:30:00Z"))
                .body("metadata.tables_filter", is("shop.orders,shop.customers")).body("metadata.allow_gaps", is(false))
                .body("metadata.baseline_backup_id", is(BASELINE)).body("metadata.phase", is("complete"))
                .body("metadata.s3_path", is("s3://rewind-backups/pitr/acme/" + server.id() + "/20260512T033000Z/2026-05-12/040000-"
                        + pitrId.substring(0, 8) + "/"))
                .body("metadata.file_count", is(5)).body("metadata.duration_ms", is(150000))
                .extract().path("received_at");

        sendThenAwaitMarker(server, completed, completed); // redelivered twice
        run("pitr-" + pitrId).statusCode(200).body("received_at", is(receivedAt)).body("status", is("success"));
        assertEquals(1, Reports.rows("acme", "pitr-" + pitrId));
        assertEquals(1, marks(CloudEvents.id(completed)));

        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("job_name", "pitr@" + server.name())
                .queryParam("limit", 200).when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", hasItem("pitr-" + pitrId));
        // another tenant sees nothing of it
        String globex = Tokens.user(Tokens.GLOBEX_ADMIN);
        given().auth().oauth2(globex).when().get("/v1/backup-runs/pitr-" + pitrId).then().statusCode(404);
        given().auth().oauth2(globex).queryParam("job_name", "pitr@" + server.name()).when().get("/v1/backup-runs")
                .then().statusCode(200).body("$", empty());
        given().auth().oauth2(globex).when().delete("/v1/backup-runs/pitr-" + pitrId).then().statusCode(404);
        run("pitr-" + pitrId).statusCode(200);
    }

    @Test
    void aFailedRecoveryBecomesAFailedRunWithItsError() throws Throwable {
        Server server = Server.create();
        String pitrId = UUID.randomUUID().toString();
        ProducerRecord<String, String> failed = server.failed(pitrId);
        CloudEvents.send(server.started(pitrId), failed, failed);

        awaitRun("pitr-" + pitrId)
                .body("job_name", is("pitr@" + server.name())).body("status", is("failure"))
                .body("error", is("binlog gap in mysql-bin.000043 before the target"))
                .body("start_time", is(STARTED_AT)).body("end_time", is("2026-05-12T04:00:09Z"))
                .body("bytes_backed_up", nullValue()).body("metadata.kind", is("point_in_time_recovery"))
                .body("metadata.phase", is("failed")).body("metadata.duration_ms", is(9000))
                .body("metadata", not(hasKey("s3_path"))); // pitr-service removed its partial output
        assertEquals(1, Reports.rows("acme", "pitr-" + pitrId));
        assertEquals(1, marks(CloudEvents.id(failed)));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("status", "failure")
                .queryParam("job_name", "pitr@" + server.name()).when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains("pitr-" + pitrId));
    }

    @Test
    void aStartedRecoveryIsNotYetARunAndALateStartedNeverReopensAFinishedOne() throws Throwable {
        Server server = Server.create();
        String running = UUID.randomUUID().toString();
        ProducerRecord<String, String> started = server.started(running);
        sendThenAwaitMarker(server, started);
        run("pitr-" + running).statusCode(404); // the ledger holds finished runs only
        assertEquals(0, marks(CloudEvents.id(started)));

        // completed before its started (out of order), then the started delivered again
        String pitrId = UUID.randomUUID().toString();
        ProducerRecord<String, String> lateStarted = server.started(pitrId);
        CloudEvents.send(server.completed(pitrId));
        String receivedAt = awaitRun("pitr-" + pitrId).body("status", is("success")).extract().path("received_at");
        sendThenAwaitMarker(server, lateStarted, lateStarted);
        run("pitr-" + pitrId).statusCode(200).body("status", is("success")).body("end_time", is(COMPLETED_AT))
                .body("bytes_backed_up", is(7340032)).body("received_at", is(receivedAt));
        assertEquals(1, Reports.rows("acme", "pitr-" + pitrId));
    }
}
