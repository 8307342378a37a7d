package dev.rewind.pitr.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes the API as clients see it on the wire. */
@QuarkusTest
class OpenApiTest {

    @Test
    void pitrRunsAreDocumentedWithTheirSnakeCaseFieldsAndAnswers() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("components.schemas.PitrRequest.properties.keySet()", containsInAnyOrder("target_time", "tables", "allow_gaps",
                        "target_gtid", "target_position", "inclusive"))
                .body("components.schemas.PitrAccepted.properties.keySet()", containsInAnyOrder("pitr_id", "status"))
                .body("components.schemas.PitrRunView.properties", allOf(hasKey("tables_filter"), hasKey("error_message"),
                        hasKey("baseline_backup_id")))
                .body("paths.'/servers/{serverId}/pitr'.post.responses.keySet()", hasItems("202", "409", "422"));
    }
}
