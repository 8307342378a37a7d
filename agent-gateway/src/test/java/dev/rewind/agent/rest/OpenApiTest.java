package dev.rewind.agent.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The agent API speaks camelCase, and its OpenAPI document says so (the rest of Rewind documents snake_case). */
@QuarkusTest
class OpenApiTest {

    @Test
    void theAgentMessagesAreDocumentedInCamelCase() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("components.schemas.RegisterRequest.properties", allOf(hasKey("registrationToken"), hasKey("agentVersion"),
                        not(hasKey("registration_token"))));
    }
}
