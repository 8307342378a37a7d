package dev.rewind.agent.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import dev.rewind.agent.Agent;
import dev.rewind.testing.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentAdminResourceTest {

    private static Agent stored(String tenant, OffsetDateTime lastHeartbeat) throws Throwable {
        Agent agent = new Agent();
        agent.id = UUID.randomUUID();
        agent.tenant = tenant;
        agent.hostname = "db-host-" + agent.id.toString().substring(0, 6);
        agent.os = "linux";
        agent.arch = "amd64";
        agent.agentVersion = "1.0.0";
        agent.apiKeyHash = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        agent.status = "online";
        agent.discoveredDatabases = "[{\"dbType\":\"mysql\",\"databaseName\":\"shop\"}]";
        agent.lastHeartbeatAt = lastHeartbeat;
        agent.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(agent::persist));
    }

    @Test
    void adminsSeeTheirAgentsOnlineOrOfflineWithoutKeys() throws Throwable {
        Agent fresh = stored("acme", OffsetDateTime.now(ZoneOffset.UTC));
        Agent silent = stored("acme", OffsetDateTime.now(ZoneOffset.UTC).minusHours(1));

        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/api/v1/admin/agents/" + fresh.id)
                .then().statusCode(200)
                .body("hostname", is(fresh.hostname))
                .body("online", is(true))
                .body("discoveredDatabases[0].databaseName", is("shop"))
                .body("$", not(hasKey("apiKeyHash")));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/api/v1/admin/agents/" + silent.id)
                .then().statusCode(200).body("online", is(false));
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/api/v1/admin/agents")
                .then().statusCode(200).body("id", hasItems(fresh.id.toString(), silent.id.toString()));
    }

    @Test
    void anotherTenantsAgentIsNotFound() throws Throwable {
        Agent agent = stored("acme", null);
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/api/v1/admin/agents/" + agent.id)
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/api/v1/admin/agents")
                .then().statusCode(200).body("id", not(hasItem(agent.id.toString())));
    }

    @Test
    void agentAdministrationNeedsAgentsManage() {
        given().when().get("/api/v1/admin/agents").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().get("/api/v1/admin/agents")
                .then().statusCode(403).contentType("application/problem+json");
    }
}
