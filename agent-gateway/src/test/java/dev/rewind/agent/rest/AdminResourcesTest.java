package dev.rewind.agent.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminResourcesTest {

    private static final String NO_ROLE = "acme-norole";

    /** Every admin endpoint: 401 without a token, 403 without agents:manage, 404 for another tenant's id. */
    /** Every item of a paged list, following X-Next-Cursor; asserts each page holds at most {@code limit}. */
    static List<String> allIds(String token, String path, int limit) {
        List<String> ids = new java.util.ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1000; pages++) {
            var spec = given().auth().oauth2(token).queryParam("limit", limit);
            if (cursor != null) {
                spec = spec.queryParam("cursor", cursor);
            }
            var page = spec.when().get(path).then().statusCode(200).extract();
            List<String> onPage = page.jsonPath().getList("id");
            assertTrue(onPage.size() <= limit, path + ": a page of " + onPage.size());
            ids.addAll(onPage);
            cursor = page.header("X-Next-Cursor");
            if (cursor == null) {
                return ids;
            }
            org.hamcrest.MatcherAssert.assertThat(page.header("Link"), allOf(containsString("cursor=" + cursor), containsString("limit=" + limit),
                    endsWith("rel=\"next\"")));
        }
        throw new AssertionError(path + " never ended");
    }

    @Test
    void theAdminListsAreBoundedPagesThatTogetherHoldEveryItemOnce() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        List<String> minted = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            minted.add(given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}")
                    .when().post("/api/v1/admin/registration-tokens").then().statusCode(201).extract().path("id"));
        }
        Agents.withDatabase("paged-1");
        Agents.withDatabase("paged-2");
        for (String path : List.of("/api/v1/admin/registration-tokens", "/api/v1/admin/agents")) {
            List<String> whole = given().auth().oauth2(admin).when().get(path).then().statusCode(200).extract().jsonPath().getList("id");
            List<String> paged = allIds(admin, path, 2);
            org.junit.jupiter.api.Assertions.assertEquals(whole, paged, path + ": the pages are the list, in order, once each");
            assertTrue(paged.size() >= 2, path);
        }
        assertTrue(allIds(admin, "/api/v1/admin/registration-tokens", 2).containsAll(minted));
        for (String bad : List.of("0", "501", "x")) {
            given().auth().oauth2(admin).queryParam("limit", bad).when().get("/api/v1/admin/agents").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        given().auth().oauth2(admin).queryParam("cursor", "not-a-cursor").when().get("/api/v1/admin/registration-tokens")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void everyAdminEndpointNeedsATokenWithAgentsManageAndStaysInItsTenant() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        Agents.Registered agent = Agents.withDatabase("guarded");
        String db = Agents.databaseId(agent, "guarded");
        String target = Agents.target(admin);
        String job = Agents.startJob(agent, db, target);
        String schedule = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("databaseId", db, "targetId", target, "cron", "0 3 * * *", "retentionDays", 7))
                .when().post("/api/v1/admin/schedules").then().statusCode(201).extract().path("id");
        String channel = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "ops-" + UUID.randomUUID().toString().substring(0, 6), "type", "email", "destination", "ops@acme.example"))
                .when().post("/api/v1/admin/alert-channels").then().statusCode(201).extract().path("id");
        String tokenId = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/admin/registration-tokens").then().statusCode(201).extract().path("id");
        String anomaly = agent.call().body(Map.of("type", "schema_drift", "severity", "info", "title", "t"))
                .when().post("/api/v1/agent/anomaly").then().statusCode(201).extract().path("anomalyId");

        List<String> reads = List.of("/api/v1/admin/agents", "/api/v1/admin/agents/" + agent.id(),
                "/api/v1/admin/agents/" + agent.id() + "/databases", "/api/v1/admin/registration-tokens",
                "/api/v1/admin/targets", "/api/v1/admin/targets/" + target, "/api/v1/admin/schedules",
                "/api/v1/admin/schedules/" + schedule, "/api/v1/admin/alert-channels", "/api/v1/admin/alert-channels/" + channel,
                "/api/v1/admin/jobs", "/api/v1/admin/jobs/" + job, "/api/v1/admin/anomalies", "/api/v1/admin/anomalies/" + anomaly);
        for (String path : reads) {
            given().when().get(path).then().statusCode(401).contentType("application/problem+json");
            given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().get(path).then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(Tokens.user(NO_ROLE)).when().get(path).then().statusCode(403);
            given().auth().oauth2(admin).when().get(path).then().statusCode(200);
        }

        String globex = Tokens.user(Tokens.GLOBEX_ADMIN);
        for (String path : reads.stream().filter(p -> p.matches(".*/[0-9a-f-]{36}(/databases)?")).toList()) {
            given().auth().oauth2(globex).when().get(path).then().statusCode(404).contentType("application/problem+json");
        }
        given().auth().oauth2(globex).when().get("/api/v1/admin/agents").then().statusCode(200).body("id", not(hasItem(agent.id())));
        given().auth().oauth2(globex).when().get("/api/v1/admin/jobs").then().statusCode(200).body("id", not(hasItem(job)));
        given().auth().oauth2(globex).when().get("/api/v1/admin/targets").then().statusCode(200).body("id", not(hasItem(target)));
        given().auth().oauth2(globex).when().get("/api/v1/admin/registration-tokens").then().statusCode(200).body("id", not(hasItem(tokenId)));

        // writes: the same three answers
        Map<String, Object> targetBody = Map.of("name", "x", "type", "local");
        given().contentType(ContentType.JSON).body("{}").when().post("/api/v1/admin/registration-tokens").then().statusCode(401);
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/admin/registration-tokens").then().statusCode(403);
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).contentType(ContentType.JSON).body(targetBody)
                .when().post("/api/v1/admin/targets").then().statusCode(403);
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().post("/api/v1/admin/agents/" + agent.id() + "/revoke").then().statusCode(403);
        given().when().delete("/api/v1/admin/schedules/" + schedule).then().statusCode(401);
        given().auth().oauth2(globex).when().post("/api/v1/admin/agents/" + agent.id() + "/revoke").then().statusCode(404);
        given().auth().oauth2(globex).when().delete("/api/v1/admin/registration-tokens/" + tokenId).then().statusCode(404);
        given().auth().oauth2(globex).when().delete("/api/v1/admin/schedules/" + schedule).then().statusCode(404);
        given().auth().oauth2(globex).when().delete("/api/v1/admin/targets/" + target).then().statusCode(404);
        given().auth().oauth2(globex).when().delete("/api/v1/admin/alert-channels/" + channel).then().statusCode(404);
        given().auth().oauth2(globex).contentType(ContentType.JSON).body(targetBody).when().put("/api/v1/admin/targets/" + target).then().statusCode(404);
        // another tenant cannot schedule this tenant's database
        given().auth().oauth2(globex).contentType(ContentType.JSON)
                .body(Map.of("databaseId", db, "targetId", Agents.target(globex), "cron", "0 3 * * *", "retentionDays", 7))
                .when().post("/api/v1/admin/schedules").then().statusCode(422);
        given().auth().oauth2(admin).when().get("/api/v1/admin/agents/" + agent.id()).then().statusCode(200).body("revoked", is(false));
    }

    @Test
    void targetAndChannelChangesReachEveryAgentOfTheTenantThroughTheConfigHash() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        Agents.Registered agent = Agents.registered(admin);
        String hash = agent.call().when().get("/api/v1/agent/config").then().statusCode(200).extract().header("ETag").replace("\"", "");
        assertFalse(Agents.heartbeat(agent, hash, List.of()));

        String target = Agents.target(admin);
        assertTrue(Agents.heartbeat(agent, hash, List.of()), "a new target changes the config");
        hash = agent.call().when().get("/api/v1/agent/config").then().statusCode(200).body("targets.id", hasItem(target))
                .extract().header("ETag").replace("\"", "");
        assertFalse(Agents.heartbeat(agent, hash, List.of()));

        String channel = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "hook-" + UUID.randomUUID().toString().substring(0, 6), "type", "webhook",
                        "destination", "https://hooks.acme.example/rewind", "events", List.of("size_anomaly", "schema_drift")))
                .when().post("/api/v1/admin/alert-channels").then().statusCode(201)
                .body("events", contains("size_anomaly", "schema_drift")).extract().path("id");
        assertTrue(Agents.heartbeat(agent, hash, List.of()), "a new alert channel changes the config");
        hash = agent.call().when().get("/api/v1/agent/config").then().statusCode(200)
                .body("alertChannels.find { it.id == '" + channel + "' }.destination", is("https://hooks.acme.example/rewind"))
                .extract().header("ETag").replace("\"", "");

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "renamed-" + UUID.randomUUID().toString().substring(0, 6), "type", "s3", "bucket", "other"))
                .when().put("/api/v1/admin/targets/" + target).then().statusCode(200).body("bucket", is("other"));
        assertTrue(Agents.heartbeat(agent, hash, List.of()), "an edited target changes the config");
        hash = agent.call().when().get("/api/v1/agent/config").then().extract().header("ETag").replace("\"", "");

        given().auth().oauth2(admin).when().delete("/api/v1/admin/alert-channels/" + channel).then().statusCode(204);
        assertTrue(Agents.heartbeat(agent, hash, List.of()), "a deleted channel changes the config");
        given().auth().oauth2(admin).when().delete("/api/v1/admin/targets/" + target).then().statusCode(204);
        given().auth().oauth2(admin).when().get("/api/v1/admin/targets/" + target).then().statusCode(404);
    }

    @Test
    void aTargetUsedByASchedulesCannotBeDeletedAndBadConfigIsRejected() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        Agents.Registered agent = Agents.withDatabase("cfg");
        String db = Agents.databaseId(agent, "cfg");
        String target = Agents.target(admin);
        String schedule = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("databaseId", db, "targetId", target, "cron", "30 1 * * 1-5", "retentionDays", 30, "encrypt", false))
                .when().post("/api/v1/admin/schedules").then().statusCode(201).body("encrypt", is(false)).extract().path("id");
        given().auth().oauth2(admin).when().delete("/api/v1/admin/targets/" + target).then().statusCode(409).contentType("application/problem+json");

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("databaseId", db, "targetId", target, "cron", "every day", "retentionDays", 30))
                .when().post("/api/v1/admin/schedules").then().statusCode(400).body("errors.field", hasItem("cron"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("databaseId", db, "targetId", target, "cron", "0 2 * * *", "retentionDays", 0))
                .when().post("/api/v1/admin/schedules").then().statusCode(400).body("errors.field", hasItem("retentionDays"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("databaseId", UUID.randomUUID().toString(), "targetId", target, "cron", "0 2 * * *", "retentionDays", 3))
                .when().post("/api/v1/admin/schedules").then().statusCode(422);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", "no-bucket", "type", "s3"))
                .when().post("/api/v1/admin/targets").then().statusCode(400).body("errors.field", hasItem("bucket"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", "ftp", "type", "ftp"))
                .when().post("/api/v1/admin/targets").then().statusCode(400).body("errors.field", hasItem("type"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "c", "type", "pager", "destination", "x"))
                .when().post("/api/v1/admin/alert-channels").then().statusCode(400).body("errors.field", hasItem("type"));
        given().auth().oauth2(admin).queryParam("limit", "0").when().get("/api/v1/admin/jobs").then().statusCode(400);
        given().auth().oauth2(admin).queryParam("status", "sleeping").when().get("/api/v1/admin/jobs").then().statusCode(400);

        given().auth().oauth2(admin).when().delete("/api/v1/admin/schedules/" + schedule).then().statusCode(204);
        given().auth().oauth2(admin).when().delete("/api/v1/admin/targets/" + target).then().statusCode(204);
    }

    @Test
    void aUsedTokenCannotBeRevokedAndTheListShowsItsAgent() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        var minted = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/admin/registration-tokens").then().statusCode(201).extract();
        String agentId = Agents.register(minted.path("token"), "used-" + UUID.randomUUID().toString().substring(0, 6))
                .then().statusCode(201).extract().path("agentId");
        given().auth().oauth2(admin).when().delete("/api/v1/admin/registration-tokens/" + minted.path("id")).then().statusCode(409);
        given().auth().oauth2(admin).when().get("/api/v1/admin/registration-tokens").then().statusCode(200)
                .body("find { it.id == '" + minted.path("id") + "' }.status", is("used"))
                .body("find { it.id == '" + minted.path("id") + "' }.agentId", is(agentId));
    }
}
