package dev.rewind.runs.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import dev.rewind.runs.Reports;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of the reference on a report: a 400 {"error": "..."} that names the field, and nothing stored. */
@QuarkusTest
class BackupRunValidationTest {

    private static final String MISSING = "<missing>";

    static Stream<Arguments> badFields() {
        return Stream.of(
                Arguments.of("run_id", MISSING),
                Arguments.of("run_id", ""),
                Arguments.of("run_id", 42),
                Arguments.of("run_id", "a/b"),
                Arguments.of("run_id", "x".repeat(201)),
                Arguments.of("run_id", "summary"),
                Arguments.of("job_name", MISSING),
                Arguments.of("job_name", "  "),
                Arguments.of("job_name", List.of("nightly")),
                Arguments.of("job_name", "j".repeat(201)),
                Arguments.of("agent_id", MISSING),
                Arguments.of("agent_id", true),
                Arguments.of("start_time", MISSING),
                Arguments.of("start_time", "yesterday"),
                Arguments.of("start_time", "2026-05-12T02:00:00"),
                Arguments.of("start_time", 1778551200),
                Arguments.of("end_time", MISSING),
                Arguments.of("end_time", "2026-13-12T02:00:00Z"),
                Arguments.of("end_time", "2026-05-12T01:59:59Z"),
                Arguments.of("status", MISSING),
                Arguments.of("status", "done"),
                Arguments.of("status", "SUCCESS"),
                Arguments.of("status", 1),
                Arguments.of("bytes_backed_up", -1),
                Arguments.of("bytes_backed_up", "1024"),
                Arguments.of("bytes_backed_up", 1.5),
                Arguments.of("encrypted", "yes"),
                Arguments.of("encryption_status", "maybe"),
                Arguments.of("encryption_status", false),
                Arguments.of("error", 500),
                Arguments.of("error", "e".repeat(16 * 1024 + 1)),
                Arguments.of("metadata", "zstd"),
                Arguments.of("metadata", List.of(1, 2)),
                Arguments.of("metadata", 7),
                Arguments.of("metadata", Map.of("blob", "m".repeat(16 * 1024))));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badFields")
    void aBadFieldIs400NamingTheField(String field, Object value) throws Throwable {
        Map<String, Object> report = new HashMap<>(Reports.report(Reports.job()));
        if (MISSING.equals(value)) {
            report.remove(field);
        } else {
            report.put(field, value);
        }
        Reports.submit(Tokens.user(Tokens.ACME_ADMIN), report).statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", startsWith(field))
                .body("size()", is(1));
        Object runId = report.get("run_id");
        if (runId instanceof String id && !id.isBlank()) {
            org.junit.jupiter.api.Assertions.assertEquals(0, Reports.rows("acme", id));
        }
    }

    @Test
    void aBodyThatIsNotJsonIs400WithTheErrorShape() {
        postRaw("{\"run_id\": \"r1\", \"job_name\": ").statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString("not valid JSON"));
        postRaw("{\"run_id\": \"r1\"} trailing").statusCode(400).body("error", containsString("not valid JSON"));
        postRaw("").statusCode(400).body("error", containsString("JSON object"));
    }

    @Test
    void aBodyThatIsNotAnObjectIs400WithTheErrorShape() {
        postRaw("[]").statusCode(400).body("error", containsString("JSON object"));
        postRaw("\"run\"").statusCode(400).body("error", containsString("JSON object"));
        postRaw("null").statusCode(400).body("error", containsString("JSON object"));
    }

    @Test
    void aBodyBeyondTheServiceLimitIsRefused() {
        String huge = "{\"metadata\": {\"blob\": \"" + "m".repeat(300 * 1024) + "\"}}";
        postRaw(huge).statusCode(413).contentType("application/problem+json").body("status", is(413));
    }

    private static io.restassured.response.ValidatableResponse postRaw(String body) {
        return given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType(ContentType.JSON).body(body)
                .when().post("/v1/backup-runs").then();
    }
}
