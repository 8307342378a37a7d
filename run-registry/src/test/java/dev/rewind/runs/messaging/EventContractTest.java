package dev.rewind.runs.messaging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.testing.EventContracts;
import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What this service really sends keeps deploy/events (asyncapi.yaml's headers, topic and key, schemas/*.json). It
 * produces one type: audit.recorded on rewind.audit, when an API token is minted or revoked.
 */
@QuarkusTest
class EventContractTest {

    @Test
    void theAuditOfAnApiTokensLifeKeepsItsContract() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", "contract"))
                .when().post("/v1/api-tokens").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).when().delete("/v1/api-tokens/" + id).then().statusCode(204);

        var audit = KafkaTopics.await("rewind.audit", r -> id.equals(r.key()), l -> l.size() >= 2, Duration.ofSeconds(90));
        assertEquals(List.of("audit.recorded", "audit.recorded"), EventContracts.assertValid(audit));
        assertEquals(List.of("api_token.created", "api_token.revoked"),
                audit.stream().map(r -> JsonPath.from(r.value()).getString("action")).toList());
        audit.forEach(r -> {
            assertEquals("run-registry", EventContracts.headers(r).get("ce_source"));
            assertEquals(id, EventContracts.headers(r).get("ce_subject"));
        });
    }
}
