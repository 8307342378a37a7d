package dev.rewind.runs;

import static io.restassured.RestAssured.given;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Run reports as a tool would send them, and what the ledger holds. */
public final class Reports {

    private Reports() {
    }

    /** A valid report with every field of the reference. */
    public static Map<String, Object> report(String runId, String jobName) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run_id", runId);
        report.put("job_name", jobName);
        report.put("agent_id", "agent-prod-db-01");
        report.put("start_time", "2026-05-12T02:00:00Z");
        report.put("end_time", "2026-05-12T02:04:33Z");
        report.put("status", "success");
        report.put("bytes_backed_up", 1073741824L);
        report.put("encrypted", true);
        report.put("encryption_status", "encrypted");
        report.put("error", null);
        report.put("metadata", Map.of("compression", "zstd"));
        return report;
    }

    public static Map<String, Object> report(String jobName) {
        return report(UUID.randomUUID().toString(), jobName);
    }

    public static Map<String, Object> with(Map<String, Object> report, String field, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(report);
        changed.put(field, value);
        return changed;
    }

    /** POST /v1/backup-runs with a bearer token (OIDC or API token). */
    public static ValidatableResponse submit(String bearer, Object body) {
        return given().auth().oauth2(bearer).contentType(ContentType.JSON).body(body)
                .when().post("/v1/backup-runs").then();
    }

    /** How many rows the ledger holds for the tenant's run_id. */
    public static long rows(String tenant, String runId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> BackupRun.count("key.tenant = ?1 and key.runId = ?2", tenant, runId)));
    }

    public static String job() {
        return "job-" + UUID.randomUUID();
    }
}
