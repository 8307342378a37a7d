package dev.rewind.agent.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rewind.agent.security.ApiKeys;
import dev.rewind.testing.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentAuthTest {

    private static Object sql(String query, Object id) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery(query).setParameter("id", id).getSingleResultOrNull())));
    }

    private static void execute(String statement, Object id) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery(statement).setParameter("id", id).executeUpdate())));
    }

    @Test
    void theApiKeyAndTheRegistrationTokenAreStoredOnlyAsSha256() throws Throwable {
        String token = Agents.mintToken(Tokens.user(Tokens.ACME_ADMIN));
        var response = Agents.register(token, "hashed-" + UUID.randomUUID().toString().substring(0, 8));
        response.then().statusCode(201);
        String agentId = response.path("agentId");
        String apiKey = response.path("apiKey");

        String agentRow = (String) sql("select row_to_json(a)::text from agent a where id = cast(:id as uuid)", agentId);
        assertFalse(agentRow.contains(apiKey), "the agent row never holds the key");
        assertFalse(agentRow.contains(apiKey.substring(4)), "not even without its prefix");
        assertEquals(ApiKeys.sha256Hex(apiKey), sql("select api_key_hash from agent where id = cast(:id as uuid)", agentId));

        String tokenRow = (String) sql("select row_to_json(t)::text from registration_token t where agent_id = cast(:id as uuid)", agentId);
        assertFalse(tokenRow.contains(token), "the token row never holds the token");
        assertEquals(ApiKeys.sha256Hex(token),
                sql("select token_hash from registration_token where agent_id = cast(:id as uuid)", agentId));

        // the admin views show neither
        String agents = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/api/v1/admin/agents").asString();
        assertFalse(agents.contains(apiKey));
        String tokens = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/api/v1/admin/registration-tokens").asString();
        assertFalse(tokens.contains(token));
    }

    @Test
    void wrongExpiredRevokedAndReusedRegistrationTokensAre401() throws Throwable {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        Agents.register("brt_" + UUID.randomUUID(), "h1").then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("registration token"));

        String expired = Agents.mintToken(admin);
        execute("update registration_token set expires_at = now() - interval '1 minute' where token_hash = :id", ApiKeys.sha256Hex(expired));
        Agents.register(expired, "h2").then().statusCode(401).contentType("application/problem+json");

        var minted = given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("description", "to revoke"))
                .when().post("/api/v1/admin/registration-tokens").then().statusCode(201).extract();
        given().auth().oauth2(admin).when().delete("/api/v1/admin/registration-tokens/" + minted.path("id")).then().statusCode(204);
        Agents.register(minted.path("token"), "h3").then().statusCode(401);
        given().auth().oauth2(admin).when().get("/api/v1/admin/registration-tokens")
                .then().statusCode(200).body("find { it.id == '" + minted.path("id") + "' }.status", is("revoked"));

        String once = Agents.mintToken(admin);
        Agents.register(once, "h4").then().statusCode(201);
        Agents.register(once, "h5").then().statusCode(401).contentType("application/problem+json");

        Agents.register("", "h6").then().statusCode(400).body("errors.field", hasItem("registrationToken"));
    }

    @Test
    void tokensLiveOneDayByDefaultAndAtMostThirtyDays() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("expiresInHours", 0))
                .when().post("/api/v1/admin/registration-tokens").then().statusCode(400).body("errors.field", hasItem("expiresInHours"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("expiresInHours", 721))
                .when().post("/api/v1/admin/registration-tokens").then().statusCode(400);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("expiresInHours", 2))
                .when().post("/api/v1/admin/registration-tokens").then().statusCode(201).body("expiresAt", notNullValue());
    }

    @Test
    void unknownMalformedAndRevokedKeysAre401() {
        Agents.Registered agent = Agents.registered(Tokens.user(Tokens.ACME_ADMIN));
        Map<String, Object> beat = Map.of("status", "online");

        given().contentType(ContentType.JSON).body(beat).when().post("/api/v1/agent/heartbeat")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer bak_" + UUID.randomUUID()).contentType(ContentType.JSON).body(beat)
                .when().post("/api/v1/agent/heartbeat").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + agent.apiKey() + "x").contentType(ContentType.JSON).body(beat)
                .when().post("/api/v1/agent/heartbeat").then().statusCode(401);
        given().header("Authorization", "Basic " + agent.apiKey()).contentType(ContentType.JSON).body(beat)
                .when().post("/api/v1/agent/heartbeat").then().statusCode(401);
        agent.call().body(beat).when().post("/api/v1/agent/heartbeat").then().statusCode(200);

        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().post("/api/v1/admin/agents/" + agent.id() + "/revoke")
                .then().statusCode(200).body("revoked", is(true)).body("online", is(false));
        agent.call().body(beat).when().post("/api/v1/agent/heartbeat").then().statusCode(401).contentType("application/problem+json");
        agent.call().when().get("/api/v1/agent/config").then().statusCode(401);
    }

    @Test
    void anOidcTokenIsNotAnAgentKeyAndAnAgentKeyIsNotAnOidcToken() {
        Agents.Registered agent = Agents.registered(Tokens.user(Tokens.ACME_ADMIN));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType(ContentType.JSON).body(Map.of("status", "online"))
                .when().post("/api/v1/agent/heartbeat").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/api/v1/agent/config").then().statusCode(401);

        agent.call().when().get("/api/v1/admin/agents").then().statusCode(401).contentType("application/problem+json");
        agent.call().body("{}").when().post("/api/v1/admin/registration-tokens").then().statusCode(401);
    }
}
