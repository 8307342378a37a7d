package dev.rewind.runs.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.runs.Reports;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RunSummaryResourceTest {

    private static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);

    private static Map<String, Object> endedAgo(String job, String status, long hoursAgo, long minutesAgo) {
        OffsetDateTime end = NOW.minusHours(hoursAgo).minusMinutes(minutesAgo);
        return Reports.with(Reports.with(Reports.with(Reports.report(job), "status", status),
                "start_time", end.minusMinutes(5).toString()), "end_time", end.toString());
    }

    private static String line(String job) {
        return "jobs.find { it.job_name == '" + job + "' }";
    }

    @Test
    void eachJobShowsItsLastRunLastSuccessAndSuccessRate() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        String job = Reports.job();
        Map<String, Object> old = endedAgo(job, "success", 24 * 20, 0); // outside the 7-day window
        Map<String, Object> success = endedAgo(job, "success", 1, 0);
        Map<String, Object> failure = endedAgo(job, "failure", 0, 10);
        Map<String, Object> partial = endedAgo(job, "partial", 2, 0);
        for (Map<String, Object> report : new Map[] {failure, success, old, partial}) {
            Reports.submit(admin, report).statusCode(201);
        }

        String lastSuccess = given().auth().oauth2(admin).when().get("/v1/backup-runs/summary").then().statusCode(200)
                .body("window_days", is(7)).body("as_of", notNullValue())
                .body(line(job) + ".last_run.run_id", is(failure.get("run_id")))
                .body(line(job) + ".last_run.status", is("failure"))
                .body(line(job) + ".runs_in_window", is(3))
                .body(line(job) + ".successes_in_window", is(1))
                .body(line(job) + ".success_rate", both(greaterThan(0.333f)).and(lessThan(0.334f)))
                .body(line(job) + ".expected_interval_seconds", is(25 * 3600))
                .body(line(job) + ".expectation", is("default"))
                .body(line(job) + ".stale", is(false))
                .extract().path(line(job) + ".last_success_at");
        assertEquals(OffsetDateTime.parse((String) success.get("end_time")).toInstant(), OffsetDateTime.parse(lastSuccess).toInstant());
        given().auth().oauth2(admin).queryParam("window_days", 30).when().get("/v1/backup-runs/summary").then().statusCode(200)
                .body(line(job) + ".runs_in_window", is(4)).body(line(job) + ".success_rate", is(0.5f));
    }

    @Test
    void aJobIsStaleWithoutASuccessInItsExpectedInterval() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        String daily = Reports.job();
        Reports.submit(admin, endedAgo(daily, "success", 30, 0)).statusCode(201);
        Reports.submit(admin, endedAgo(daily, "failure", 1, 0)).statusCode(201);
        given().auth().oauth2(admin).when().get("/v1/backup-runs/summary").then().statusCode(200)
                .body(line(daily) + ".stale", is(true)).body(line(daily) + ".expectation", is("default"));

        // a job that runs every two days is not stale after 30 hours
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("expected_interval_seconds", 48 * 3600))
                .when().put("/v1/backup-runs/jobs/" + daily + "/expectation").then().statusCode(200)
                .body("job_name", is(daily)).body("expected_interval_seconds", is(48 * 3600));
        given().auth().oauth2(admin).when().get("/v1/backup-runs/summary").then().statusCode(200)
                .body(line(daily) + ".stale", is(false)).body(line(daily) + ".expectation", is("job"))
                .body(line(daily) + ".expected_interval_seconds", is(48 * 3600));

        // tightened to 12 hours, it is stale again; removed, the default applies
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("expected_interval_seconds", 12 * 3600))
                .when().put("/v1/backup-runs/jobs/" + daily + "/expectation").then().statusCode(200);
        given().auth().oauth2(admin).when().get("/v1/backup-runs/jobs/" + daily + "/expectation").then().statusCode(200)
                .body("expected_interval_seconds", is(12 * 3600));
        given().auth().oauth2(admin).when().get("/v1/backup-runs/summary").then().statusCode(200)
                .body(line(daily) + ".stale", is(true));
        given().auth().oauth2(admin).when().delete("/v1/backup-runs/jobs/" + daily + "/expectation").then().statusCode(204);
        given().auth().oauth2(admin).when().delete("/v1/backup-runs/jobs/" + daily + "/expectation").then().statusCode(404);
        given().auth().oauth2(admin).when().get("/v1/backup-runs/summary").then().statusCode(200)
                .body(line(daily) + ".expectation", is("default"));
    }

    @Test
    void anExpectedJobThatNeverReportedIsListedAsStale() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        String silent = Reports.job();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("expected_interval_seconds", 3600))
                .when().put("/v1/backup-runs/jobs/" + silent + "/expectation").then().statusCode(200);
        given().auth().oauth2(admin).when().get("/v1/backup-runs/summary").then().statusCode(200)
                .body(line(silent) + ".stale", is(true)).body(line(silent) + ".last_run", nullValue())
                .body(line(silent) + ".runs_in_window", is(0)).body(line(silent) + ".success_rate", nullValue());
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/v1/backup-runs/summary").then().statusCode(200)
                .body("jobs.job_name", not(hasItem(silent)));
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/v1/backup-runs/jobs/" + silent + "/expectation")
                .then().statusCode(404);
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().delete("/v1/backup-runs/jobs/" + silent + "/expectation")
                .then().statusCode(404);
    }

    @Test
    void badSummaryAndExpectationInputIs400WithTheErrorShape() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        given().auth().oauth2(admin).queryParam("window_days", "week").when().get("/v1/backup-runs/summary")
                .then().statusCode(400).contentType(ContentType.JSON).body("error", containsString("window_days"));
        given().auth().oauth2(admin).queryParam("window_days", 91).when().get("/v1/backup-runs/summary")
                .then().statusCode(400).body("error", containsString("window_days"));
        for (Object body : new Object[] {Map.of("expected_interval_seconds", 10), Map.of("expected_interval_seconds", "1d"),
                Map.of("other", 1), "[1]", "{"}) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(body)
                    .when().put("/v1/backup-runs/jobs/nightly/expectation").then().statusCode(400)
                    .body("error", anyOf(containsString("expected_interval_seconds"), containsString("JSON")));
        }
    }

    @Test
    void readersSeeTheSummaryButCannotSetExpectations() {
        String reader = Tokens.user(Tokens.ACME_READER);
        given().auth().oauth2(reader).when().get("/v1/backup-runs/summary").then().statusCode(200);
        given().auth().oauth2(reader).contentType(ContentType.JSON).body(Map.of("expected_interval_seconds", 3600))
                .when().put("/v1/backup-runs/jobs/nightly/expectation").then().statusCode(403);
        given().auth().oauth2(reader).when().delete("/v1/backup-runs/jobs/nightly/expectation").then().statusCode(403);
        given().auth().oauth2(Tokens.user("acme-norole")).when().get("/v1/backup-runs/summary").then().statusCode(403);
    }
}
