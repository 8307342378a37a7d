package dev.rewind.runs.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.runs.BackupRun;
import dev.rewind.runs.Reports;
import dev.rewind.testing.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @Test
    void aSubmittedRunIsStoredWithReceivedAtAndAnsweredWith201() throws Throwable {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        Map<String, Object> report = Reports.report(Reports.job());
        String runId = (String) report.get("run_id");

        Reports.submit(admin, report).statusCode(201)
                .header("Location", endsWith("/v1/backup-runs/" + runId))
                .body("run_id", is(runId)).body("job_name", is(report.get("job_name")))
                .body("agent_id", is("agent-prod-db-01")).body("status", is("success"))
                .body("start_time", is("2026-05-12T02:00:00Z")).body("end_time", is("2026-05-12T02:04:33Z"))
                .body("bytes_backed_up", is(1073741824)).body("encrypted", is(true))
                .body("encryption_status", is("encrypted")).body("error", nullValue())
                .body("metadata.compression", is("zstd")).body("source", is("api"))
                .body("received_at", notNullValue());
        given().auth().oauth2(admin).when().get("/v1/backup-runs/" + runId).then().statusCode(200)
                .body("metadata.compression", is("zstd"));
    }

    @Test
    void theSameRunIdAgainOverwritesTheRunInOneRowWithANewReceivedAt() throws Throwable {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        Map<String, Object> first = Reports.report(Reports.job());
        String runId = (String) first.get("run_id");
        String firstReceived = Reports.submit(admin, first).statusCode(201).extract().path("received_at");

        Map<String, Object> second = Reports.with(Reports.with(Reports.with(first, "status", "failure"),
                "error", "disk full"), "metadata", Map.of("attempt", 2));
        second.put("bytes_backed_up", 10);
        second.put("encryption_status", "failed");
        String secondReceived = Reports.submit(admin, second).statusCode(201)
                .body("status", is("failure")).body("error", is("disk full")).body("bytes_backed_up", is(10))
                .body("encryption_status", is("failed")).body("metadata.attempt", is(2)).body("metadata.compression", nullValue())
                .extract().path("received_at");

        assertTrue(OffsetDateTime.parse(secondReceived).isAfter(OffsetDateTime.parse(firstReceived)),
                "received_at moves on: " + firstReceived + " then " + secondReceived);
        assertEquals(1, Reports.rows("acme", runId));
        given().auth().oauth2(admin).when().get("/v1/backup-runs/" + runId).then().statusCode(200)
                .body("status", is("failure")).body("received_at", is(secondReceived));
        given().auth().oauth2(admin).queryParam("job_name", first.get("job_name")).when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains(runId));
    }

    @Test
    void optionalFieldsMayBeLeftOutOrNull() {
        Map<String, Object> report = Reports.report(Reports.job());
        for (String optional : List.of("bytes_backed_up", "encrypted", "encryption_status", "error", "metadata")) {
            report.remove(optional);
        }
        Reports.submit(Tokens.user(Tokens.ACME_ADMIN), report).statusCode(201)
                .body("bytes_backed_up", nullValue()).body("metadata", nullValue()).body("encrypted", nullValue());
        Map<String, Object> nulls = Reports.report(Reports.job());
        nulls.put("metadata", null);
        nulls.put("encryption_status", null);
        nulls.put("error", "partial failure: 2 tables skipped");
        nulls.put("status", "partial");
        nulls.put("start_time", "2026-05-12T04:00:00+02:00");
        nulls.put("end_time", "2026-05-12T02:00:00Z"); // the same instant: end may equal start
        Reports.submit(Tokens.user(Tokens.ACME_ADMIN), nulls).statusCode(201)
                .body("status", is("partial")).body("start_time", is("2026-05-12T02:00:00Z"));
    }

    @Test
    void theListIsNewestReceivedFirstAndEachFilterNarrowsIt() throws Throwable {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        String job = Reports.job();
        Map<String, Object> a = Reports.with(Reports.report("a-" + UUID.randomUUID(), job), "start_time", "2026-05-10T02:00:00Z");
        Map<String, Object> b = Reports.with(Reports.with(Reports.report("b-" + UUID.randomUUID(), job), "status", "failure"),
                "start_time", "2026-05-11T02:00:00Z");
        Map<String, Object> c = Reports.with(Reports.with(Reports.report("c-" + UUID.randomUUID(), job), "agent_id", "agent-2"),
                "status", "partial");
        for (Map<String, Object> report : List.of(a, b, c)) {
            Reports.submit(admin, report).statusCode(201);
        }
        Map<String, Object> otherJob = Reports.report(Reports.job());
        Reports.submit(admin, otherJob).statusCode(201);

        given().auth().oauth2(admin).queryParam("job_name", job).when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains(c.get("run_id"), b.get("run_id"), a.get("run_id")));
        given().auth().oauth2(admin).queryParam("job_name", job).queryParam("status", "failure").when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains(b.get("run_id")));
        given().auth().oauth2(admin).queryParam("job_name", job).queryParam("agent_id", "agent-2").when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains(c.get("run_id")));
        given().auth().oauth2(admin).queryParam("job_name", job).queryParam("since", "2026-05-11T00:00:00Z").when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains(c.get("run_id"), b.get("run_id")));
        given().auth().oauth2(admin).queryParam("job_name", job).queryParam("until", "2026-05-11T12:00:00Z").when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains(b.get("run_id"), a.get("run_id")));
        given().auth().oauth2(admin).queryParam("job_name", job).queryParam("limit", 1).when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains(c.get("run_id")));
        given().auth().oauth2(admin).queryParam("agent_id", "agent-2").queryParam("status", "partial").when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", hasItem(c.get("run_id"))).body("run_id", not(hasItem(otherJob.get("run_id"))));
    }

    @Test
    void theCursorPagesThroughTheListWithoutGapsOrRepeats() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        String job = Reports.job();
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Object> report = Reports.report(job);
            Reports.submit(admin, report).statusCode(201);
            submitted.add(0, (String) report.get("run_id"));
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().auth().oauth2(admin).queryParam("job_name", job).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.when().get("/v1/backup-runs").then().statusCode(200).extract().response();
            seen.addAll(page.jsonPath().getList("run_id", String.class));
            cursor = page.header("X-Next-Cursor");
            if (cursor != null) {
                assertTrue(page.header("Link").contains("cursor=" + cursor) && page.header("Link").contains("job_name=" + job)
                        && page.header("Link").endsWith("rel=\"next\""), page.header("Link"));
            } else {
                assertNull(page.header("Link"));
            }
            pages++;
        } while (cursor != null && pages < 10);

        assertEquals(3, pages);
        assertEquals(submitted, seen);
    }

    @Test
    void badQueryParametersAre400WithTheReferenceErrorShape() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        given().auth().oauth2(admin).queryParam("cursor", "not-a-cursor").when().get("/v1/backup-runs")
                .then().statusCode(400).contentType("application/json").body("error", containsString("cursor"));
        given().auth().oauth2(admin).queryParam("limit", 201).when().get("/v1/backup-runs")
                .then().statusCode(400).body("error", containsString("limit"));
        given().auth().oauth2(admin).queryParam("limit", 0).when().get("/v1/backup-runs")
                .then().statusCode(400).body("error", containsString("limit"));
        given().auth().oauth2(admin).queryParam("status", "done").when().get("/v1/backup-runs")
                .then().statusCode(400).body("error", containsString("status"));
        given().auth().oauth2(admin).queryParam("since", "yesterday").when().get("/v1/backup-runs")
                .then().statusCode(400).body("error", containsString("since"));
        given().auth().oauth2(admin).queryParam("since", "2026-05-12T00:00:00Z").queryParam("until", "2026-05-11T00:00:00Z")
                .when().get("/v1/backup-runs").then().statusCode(400).body("error", containsString("since"));
    }

    @Test
    void errorsOtherThan400StayProblemJson() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        given().auth().oauth2(admin).when().get("/v1/backup-runs/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json").body("status", is(404));
        given().contentType("application/json").body("{}").when().post("/v1/backup-runs").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).contentType("application/json").body(Reports.report(Reports.job()))
                .when().post("/v1/backup-runs").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(admin).contentType("text/plain").body("run").when().post("/v1/backup-runs")
                .then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void runsOfTheSameIdInTwoTenantsAreTwoRuns() throws Throwable {
        String runId = UUID.randomUUID().toString();
        Reports.submit(Tokens.user(Tokens.ACME_ADMIN), Reports.report(runId, "acme-job")).statusCode(201);
        Reports.submit(Tokens.user(Tokens.GLOBEX_ADMIN), Reports.with(Reports.report(runId, "globex-job"), "status", "failure"))
                .statusCode(201);
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/v1/backup-runs/" + runId)
                .then().statusCode(200).body("job_name", is("acme-job"));
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/v1/backup-runs/" + runId)
                .then().statusCode(200).body("job_name", is("globex-job"));
        assertEquals(1, Reports.rows("acme", runId));
    }

    @Test
    void theOpenApiDocumentsTheCursorHeadersTheSummaryAndTheTokens() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/backup-runs'.get.responses.'200'.headers", hasKey("X-Next-Cursor"))
                .body("paths.'/v1/backup-runs'.get.responses.'200'.headers", hasKey("Link"))
                .body("paths.'/v1/backup-runs'.get.parameters.name", hasItem("cursor"))
                .body("paths.'/v1/backup-runs'.post.responses", hasKey("201"))
                .body("paths", hasKey("/v1/backup-runs/summary"))
                .body("paths", hasKey("/v1/backup-runs/jobs/{jobName}/expectation"))
                .body("paths", hasKey("/v1/api-tokens"))
                .body("paths", hasKey("/v1/api-tokens/{id}"))
                .body("components.schemas.BackupRunRequest.required", hasItems("run_id", "job_name", "status"));
    }
}
