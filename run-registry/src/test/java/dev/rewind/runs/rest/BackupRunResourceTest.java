package dev.rewind.runs.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import dev.rewind.runs.BackupRun;
import dev.rewind.testing.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BackupRunResourceTest {

    private static BackupRun stored(String tenant, String jobName, String status) throws Throwable {
        OffsetDateTime start = OffsetDateTime.of(2026, 5, 12, 2, 0, 0, 0, ZoneOffset.UTC);
        BackupRun run = new BackupRun();
        run.key = new BackupRun.Key(tenant, UUID.randomUUID().toString());
        run.jobName = jobName;
        run.agentId = "agent-prod-db-01";
        run.startTime = start;
        run.endTime = start.plusMinutes(4);
        run.status = status;
        run.bytesBackedUp = 1_073_741_824L;
        run.metadata = "{\"compression\":\"zstd\"}";
        run.source = "api";
        run.receivedAt = OffsetDateTime.now(ZoneOffset.UTC);
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(run::persist));
    }

    @Test
    void runsAreListedFilteredReadAndDeleted() throws Throwable {
        String job = "job-" + UUID.randomUUID();
        BackupRun ok = stored("acme", job, "success");
        BackupRun bad = stored("acme", job, "failure");
        String admin = Tokens.user(Tokens.ACME_ADMIN);

        given().auth().oauth2(admin).queryParam("job_name", job).when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains(bad.key.runId, ok.key.runId));
        given().auth().oauth2(admin).queryParam("job_name", job).queryParam("status", "success").when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains(ok.key.runId));
        given().auth().oauth2(admin).when().get("/v1/backup-runs/" + ok.key.runId)
                .then().statusCode(200).body("metadata.compression", is("zstd")).body("bytes_backed_up", is(1073741824))
                .body("received_at", notNullValue());

        given().auth().oauth2(admin).when().delete("/v1/backup-runs/" + ok.key.runId).then().statusCode(204);
        given().auth().oauth2(admin).when().get("/v1/backup-runs/" + ok.key.runId).then().statusCode(404);
        given().auth().oauth2(admin).when().delete("/v1/backup-runs/" + ok.key.runId).then().statusCode(404);
    }

    @Test
    void anotherTenantsRunIsNotFoundAndCannotBeDeleted() throws Throwable {
        BackupRun run = stored("acme", "nightly", "success");
        String globex = Tokens.user(Tokens.GLOBEX_ADMIN);
        given().auth().oauth2(globex).when().get("/v1/backup-runs/" + run.key.runId).then().statusCode(404);
        given().auth().oauth2(globex).when().delete("/v1/backup-runs/" + run.key.runId).then().statusCode(404);
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().get("/v1/backup-runs/" + run.key.runId).then().statusCode(200);
    }

    @Test
    void theLedgerNeedsCredentialsEvenFromLocalhost() {
        given().when().get("/v1/backup-runs").then().statusCode(401);
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().delete("/v1/backup-runs/" + UUID.randomUUID())
                .then().statusCode(403);
    }
}
