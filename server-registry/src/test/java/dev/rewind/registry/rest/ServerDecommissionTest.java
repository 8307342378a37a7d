package dev.rewind.registry.rest;

import static dev.rewind.registry.Api.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** DELETE /servers/{id}: a soft delete. */
@QuarkusTest
class ServerDecommissionTest {

    @Test
    void aDecommissionedServerIsHiddenFromListsUnlessAskedFor() {
        String name = uniqueName("gone");
        String id = register(admin(), unchecked(name, "pw-" + UUID.randomUUID()));
        given().auth().oauth2(admin()).when().delete("/servers/" + id).then().statusCode(204);

        given().auth().oauth2(reader()).when().get("/servers").then().statusCode(200).body("id", not(hasItem(id)));
        given().auth().oauth2(reader()).when().get("/servers?include_decommissioned=false").then().statusCode(200).body("id", not(hasItem(id)));
        given().auth().oauth2(reader()).when().get("/servers?include_decommissioned=true").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.status", is("decommissioned"))
                .body("find { it.id == '" + id + "' }.decommissioned_at", notNullValue());
        given().auth().oauth2(reader()).when().get("/servers/" + id).then().statusCode(200).body("status", is("decommissioned"));

        var records = awaitRecords("rewind.servers", id, r -> !ofType(r, "server.decommissioned").isEmpty());
        JsonPath event = JsonPath.from(ofType(records, "server.decommissioned").get(0).value());
        assertEquals(id, event.getString("server_id"));
        assertEquals("acme", event.getString("tenant"));
        assertEquals(name, event.getString("name"));
        assertNotNull(event.getString("decommissioned_at"));

        // its name is free again; it cannot be changed or decommissioned twice
        register(admin(), unchecked(name, "pw-" + UUID.randomUUID()));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("port", 3310, "skip_checks", true))
                .when().patch("/servers/" + id).then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(admin()).when().delete("/servers/" + id).then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void aBadIncludeDecommissionedValueIsRejected() {
        given().auth().oauth2(reader()).when().get("/servers?include_decommissioned=maybe")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("include_decommissioned"));
    }

    @Test
    void deleteNeedsATokenDeletePermissionAndTheTenantsServer() {
        String id = register(admin(), unchecked(uniqueName("keep"), "pw-" + UUID.randomUUID()));
        given().when().delete("/servers/" + id).then().statusCode(401);
        given().auth().oauth2(reader()).when().delete("/servers/" + id).then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(norole()).when().delete("/servers/" + id).then().statusCode(403);
        given().auth().oauth2(globex()).when().delete("/servers/" + id).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(admin()).when().delete("/servers/" + UUID.randomUUID()).then().statusCode(404);
        assertEquals("onboarding", server(id).getString("status"));
    }
}
