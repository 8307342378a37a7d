package dev.rewind.runs.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.rewind.runs.ApiToken;
import dev.rewind.runs.Reports;
import dev.rewind.testing.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiTokenAuthenticationTest {

    @Inject
    ApiTokenCache cache;

    private static JsonPath mint(String admin, String name) {
        return given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", name))
                .when().post("/v1/api-tokens")
                .then().statusCode(201).header("Location", containsString("/v1/api-tokens/"))
                .body("id", notNullValue()).body("token", startsWith("rr_")).body("name", is(name))
                .extract().jsonPath();
    }

    @Test
    void anApiTokenReportsAndReadsRunsOfItsTenant() {
        String token = mint(Tokens.user(Tokens.ACME_ADMIN), "nightly-agent").getString("token");
        Map<String, Object> report = Reports.report(Reports.job());
        String runId = (String) report.get("run_id");

        Reports.submit(token, report).statusCode(201).body("run_id", is(runId));
        given().auth().oauth2(token).when().get("/v1/backup-runs/" + runId).then().statusCode(200);
        given().auth().oauth2(token).queryParam("job_name", report.get("job_name")).when().get("/v1/backup-runs")
                .then().statusCode(200).body("run_id", contains(runId));
        given().auth().oauth2(token).when().get("/v1/backup-runs/summary").then().statusCode(200);
        // the tenant's OIDC users see what the token reported
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().get("/v1/backup-runs/" + runId).then().statusCode(200);
        // an API token reports and reads; deleting takes an OIDC token with runs:delete
        given().auth().oauth2(token).when().delete("/v1/backup-runs/" + runId).then().statusCode(403);
    }

    @Test
    void anApiTokenOfOneTenantNeverSeesAnotherTenantsRuns() {
        String acmeToken = mint(Tokens.user(Tokens.ACME_ADMIN), "acme-tool").getString("token");
        String globexToken = mint(Tokens.user(Tokens.GLOBEX_ADMIN), "globex-tool").getString("token");
        Map<String, Object> report = Reports.report(Reports.job());
        String runId = (String) report.get("run_id");
        Reports.submit(acmeToken, report).statusCode(201);

        given().auth().oauth2(globexToken).when().get("/v1/backup-runs/" + runId).then().statusCode(404);
        given().auth().oauth2(globexToken).queryParam("job_name", report.get("job_name")).when().get("/v1/backup-runs")
                .then().statusCode(200).body("$", empty());
        given().auth().oauth2(globexToken).when().get("/v1/backup-runs").then().statusCode(200)
                .body("run_id", not(hasItem(runId)));
        given().auth().oauth2(globexToken).when().get("/v1/backup-runs/summary").then().statusCode(200)
                .body("jobs.job_name", not(hasItem(report.get("job_name"))));
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().delete("/v1/backup-runs/" + runId).then().statusCode(404);
        // the same run_id from globex is globex's own run, not an overwrite of acme's
        Reports.submit(globexToken, Reports.with(report, "job_name", "globex-job")).statusCode(201);
        given().auth().oauth2(acmeToken).when().get("/v1/backup-runs/" + runId).then().statusCode(200)
                .body("job_name", is(report.get("job_name")));
    }

    @Test
    void aRevokedTokenIs401FromTheNextRequestOn() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        JsonPath minted = mint(admin, "to-revoke");
        String token = minted.getString("token");
        given().auth().oauth2(token).when().get("/v1/backup-runs").then().statusCode(200);

        given().auth().oauth2(admin).when().delete("/v1/api-tokens/" + minted.getString("id")).then().statusCode(204);

        given().auth().oauth2(token).when().get("/v1/backup-runs").then().statusCode(401)
                .contentType("application/problem+json");
        Reports.submit(token, Reports.report(Reports.job())).statusCode(401);
        given().auth().oauth2(admin).when().delete("/v1/api-tokens/" + minted.getString("id")).then().statusCode(204);
        given().auth().oauth2(admin).when().get("/v1/api-tokens").then().statusCode(200)
                .body("find { it.id == '" + minted.getString("id") + "' }.revoked_at", notNullValue());
    }

    @Test
    void unknownAndMalformedTokensAre401() {
        String wellFormedButUnknown = ApiTokens.mint(UUID.randomUUID());
        given().auth().oauth2(wellFormedButUnknown).when().get("/v1/backup-runs").then().statusCode(401);
        given().auth().oauth2("rr_short").when().get("/v1/backup-runs").then().statusCode(401);
        String genuine = mint(Tokens.user(Tokens.ACME_ADMIN), "tampered").getString("token");
        String tampered = genuine.substring(0, genuine.length() - 1) + (genuine.endsWith("A") ? "B" : "A");
        given().auth().oauth2(tampered).when().get("/v1/backup-runs").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").when().get("/v1/backup-runs").then().statusCode(401);
    }

    @Test
    void anApiTokenIsRefusedOutsideTheLedger() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        JsonPath minted = mint(admin, "no-escalation");
        String token = minted.getString("token");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "more"))
                .when().post("/v1/api-tokens").then().statusCode(401);
        given().auth().oauth2(token).when().get("/v1/api-tokens").then().statusCode(401);
        given().auth().oauth2(token).when().delete("/v1/api-tokens/" + minted.getString("id")).then().statusCode(401);
        given().auth().oauth2(token).when().get("/v1/backup-runs").then().statusCode(200); // still valid where it belongs
    }

    @Test
    void noCredentialsIs401EvenFromLocalhost() {
        given().when().get("/v1/backup-runs").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().when().get("/v1/backup-runs/" + UUID.randomUUID()).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Reports.report(Reports.job())).when().post("/v1/backup-runs").then().statusCode(401);
        given().when().delete("/v1/backup-runs/" + UUID.randomUUID()).then().statusCode(401);
        given().when().get("/v1/backup-runs/summary").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("expected_interval_seconds", 3600))
                .when().put("/v1/backup-runs/jobs/nightly/expectation").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").when().post("/v1/api-tokens").then().statusCode(401);
        given().when().get("/v1/api-tokens").then().statusCode(401);
        given().when().delete("/v1/api-tokens/" + UUID.randomUUID()).then().statusCode(401);
        given().header("X-Forwarded-For", "127.0.0.1").when().get("/v1/backup-runs").then().statusCode(401);
    }

    @Test
    void aReaderCannotMintListOrRevokeTokens() {
        String reader = Tokens.user(Tokens.ACME_READER);
        String id = mint(Tokens.user(Tokens.ACME_ADMIN), "reader-target").getString("id");
        given().auth().oauth2(reader).contentType(ContentType.JSON).body("{}").when().post("/v1/api-tokens").then().statusCode(403);
        given().auth().oauth2(reader).when().get("/v1/api-tokens").then().statusCode(403);
        given().auth().oauth2(reader).when().delete("/v1/api-tokens/" + id).then().statusCode(403);
        given().auth().oauth2(Tokens.user("acme-norole")).when().get("/v1/backup-runs").then().statusCode(403);
    }

    @Test
    void anotherTenantsTokenCannotBeRevokedAndIsNotListed() {
        String id = mint(Tokens.user(Tokens.ACME_ADMIN), "acme-only").getString("id");
        String globex = Tokens.user(Tokens.GLOBEX_ADMIN);
        given().auth().oauth2(globex).when().delete("/v1/api-tokens/" + id).then().statusCode(404);
        given().auth().oauth2(globex).when().get("/v1/api-tokens").then().statusCode(200).body("id", not(hasItem(id)));
        given().auth().oauth2(globex).when().delete("/v1/api-tokens/not-a-uuid").then().statusCode(404);
    }

    @Test
    void onlyTheHashOfTheTokenIsStoredAndTheListNeverShowsIt() throws Throwable {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        JsonPath minted = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}")
                .when().post("/v1/api-tokens").then().statusCode(201).body("name", nullValue()).extract().jsonPath();
        String token = minted.getString("token");
        ApiToken stored = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> ApiToken.<ApiToken>findById(UUID.fromString(minted.getString("id")))));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)), stored.tokenHash);
        assertFalse(new String(stored.tokenHash, StandardCharsets.ISO_8859_1).contains(token.substring(3)));
        String listed = given().auth().oauth2(admin).when().get("/v1/api-tokens").then().statusCode(200)
                .body("find { it.id == '" + minted.getString("id") + "' }.created_by", notNullValue())
                .extract().asString();
        assertFalse(listed.contains(token) || listed.contains(HexFormat.of().formatHex(stored.tokenHash)));
    }

    @Test
    void aTokenRevokedOnAnotherReplicaIsDroppedFromTheCacheByTheNotification() throws Throwable {
        JsonPath minted = mint(Tokens.user(Tokens.ACME_ADMIN), "cached");
        String token = minted.getString("token");
        UUID id = UUID.fromString(minted.getString("id"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            given().auth().oauth2(token).when().get("/v1/backup-runs").then().statusCode(200); // read, then cached
            assertNotNull(cache.get(id), "a live token is cached while this replica listens for revocations");
        });

        // another replica revokes: the row changes without this replica's cache being told directly...
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("update api_token set revoked_at = now() where id = ?1").setParameter(1, id).executeUpdate())));
        given().auth().oauth2(token).when().get("/v1/backup-runs").then().statusCode(200); // the cache still vouches for it
        // ...and notifies in its transaction, as ApiTokenService does: every replica drops the token
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("select count(*) from (select pg_notify(?1, ?2)) notified", Long.class)
                .setParameter(1, ApiTokenCache.CHANNEL).setParameter(2, id.toString()).getSingleResult())));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                given().auth().oauth2(token).when().get("/v1/backup-runs").then().statusCode(401));
    }
}
