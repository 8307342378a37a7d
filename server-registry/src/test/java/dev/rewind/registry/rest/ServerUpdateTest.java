package dev.rewind.registry.rest;

import static dev.rewind.registry.Api.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** PATCH /servers/{id}: only the given fields change; a connection change restarts onboarding. */
@QuarkusTest
class ServerUpdateTest {

    private static String patch(String id, Object body, int status) {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body)
                .when().patch("/servers/" + id)
                .then().statusCode(status).extract().asString();
    }

    private static JsonPath lastUpdate(String id, int count) {
        var updates = ofType(awaitRecords("rewind.servers", id, records -> ofType(records, "server.updated").size() >= count),
                "server.updated");
        return JsonPath.from(updates.get(updates.size() - 1).value());
    }

    @Test
    void onlyTheGivenFieldsChangeAndARenameDoesNotRestartOnboarding() {
        String name = uniqueName("patch");
        String id = register(admin(), unchecked(name, "pw-" + UUID.randomUUID()));
        String renamed = uniqueName("renamed");

        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("name", renamed))
                .when().patch("/servers/" + id)
                .then().statusCode(200)
                .body("name", is(renamed))
                .body("host", is("127.0.0.1"))
                .body("port", is(3307))
                .body("username", is("rewind"))
                .body("connection_method", is("direct"))
                .body("status", is("onboarding"))
                .body("$", not(hasKey("password")));

        JsonPath event = lastUpdate(id, 1);
        assertEquals(List.of("name"), event.getList("changed"));
        assertFalse(event.getBoolean("connection_changed"));
        assertEquals(renamed, event.getString("name"));
        assertEquals("acme", event.getString("tenant"));
    }

    @Test
    void aChangedHostRestartsOnboardingAndSaysSo() {
        String id = register(admin(), unchecked(uniqueName("move"), "pw-" + UUID.randomUUID()));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("host", "db2.example.com", "port", 3310, "skip_checks", true))
                .when().patch("/servers/" + id)
                .then().statusCode(200)
                .body("host", is("db2.example.com"))
                .body("port", is(3310))
                .body("status", is("onboarding"))
                .body("onboarding_step", is("provisioning"));

        JsonPath event = lastUpdate(id, 1);
        assertEquals(List.of("host", "port"), event.getList("changed"));
        assertTrue(event.getBoolean("connection_changed"));
        assertEquals("provisioning", event.getString("onboarding_step"));
        assertEquals(List.of("pending", "pending", "pending", "pending", "pending", "pending"),
                onboardingStatus(id).getList("steps.status"));
    }

    @Test
    void switchingToSshTunnelNeedsTheJumpHostAndSwitchingBackDropsIt() {
        String id = register(admin(), unchecked(uniqueName("tun"), "pw-" + UUID.randomUUID()));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("connection_method", "ssh_tunnel"))
                .when().patch("/servers/" + id)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("ssh_jump_host", "ssh_jump_port", "ssh_jump_user"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("connection_method", "ssh_tunnel", "ssh_jump_host", "bastion.example.com", "ssh_jump_port", 2222, "ssh_jump_user", "ops"))
                .when().patch("/servers/" + id)
                .then().statusCode(200)
                .body("connection_method", is("ssh_tunnel"))
                .body("ssh_tunnel.jump_host", is("bastion.example.com"))
                .body("ssh_tunnel.jump_port", is(2222));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("connection_method", "vpn"))
                .when().patch("/servers/" + id)
                .then().statusCode(200)
                .body("connection_method", is("vpn"))
                .body("ssh_tunnel", nullValue());
    }

    @Test
    void invalidChangesAreRejectedWithTheirFields() {
        String id = register(admin(), unchecked(uniqueName("bad"), "pw-" + UUID.randomUUID()));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("port", 0))
                .when().patch("/servers/" + id)
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("port"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("connection_method", "carrier_pigeon"))
                .when().patch("/servers/" + id)
                .then().statusCode(400).body("errors.field", hasItem("connection_method"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("host", "db?allowLoadLocalInfile=true"))
                .when().patch("/servers/" + id)
                .then().statusCode(400).body("errors.field", hasItem("host"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("host", "169.254.169.254", "skip_checks", true))
                .when().patch("/servers/" + id)
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("host"));
        // a line break in a credential would end its value in the tools' option files: the rest would be options
        for (String field : List.of("password", "username", "ssh_jump_user")) {
            // as JSON escapes, exactly as a client sends them
            for (String value : List.of("pw\\nplugin-dir=/tmp/evil", "pw\\rx", "pw\\u0000x")) {
                given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"" + field + "\": \"" + value + "\"}")
                        .when().patch("/servers/" + id)
                        .then().log().ifValidationFails().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(field));
            }
        }
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"port\": \"many\"}")
                .when().patch("/servers/" + id)
                .then().statusCode(400).body("errors.field", hasItem("port"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"port\": ")
                .when().patch("/servers/" + id)
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .when().patch("/servers/" + id)
                .then().statusCode(400).contentType("application/problem+json");
        assertEquals(3307, server(id).getInt("port"), "nothing changed");
    }

    @Test
    void renamingToANameInUseIsAConflict() {
        String taken = uniqueName("taken");
        register(admin(), unchecked(taken, "pw-" + UUID.randomUUID()));
        String id = register(admin(), unchecked(uniqueName("other"), "pw-" + UUID.randomUUID()));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("name", taken.toUpperCase()))
                .when().patch("/servers/" + id)
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString(taken.toUpperCase()));
    }

    @Test
    void patchNeedsATokenWritePermissionAndTheTenantsServer() {
        String id = register(admin(), unchecked(uniqueName("auth"), "pw-" + UUID.randomUUID()));
        Map<String, Object> body = Map.of("name", uniqueName("x"));
        given().contentType(ContentType.JSON).body(body).when().patch("/servers/" + id).then().statusCode(401);
        given().auth().oauth2(reader()).contentType(ContentType.JSON).body(body).when().patch("/servers/" + id)
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(globex()).contentType(ContentType.JSON).body(body).when().patch("/servers/" + id)
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).when().patch("/servers/" + UUID.randomUUID())
                .then().statusCode(404);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).when().patch("/servers/not-a-uuid")
                .then().statusCode(404);
    }

    @Test
    void anUnchangedServerPublishesNothing() {
        String id = register(admin(), unchecked(uniqueName("same"), "pw-" + UUID.randomUUID()));
        String port = patch(id, Map.of("port", 3307, "connection_method", "direct"), 200);
        assertTrue(port.contains("\"port\":3307"));
        patch(id, Map.of("name", uniqueName("then")), 200);
        // the rename is the only update on the topic
        JsonPath only = lastUpdate(id, 1);
        assertEquals(List.of("name"), only.getList("changed"));
        assertEquals(1, ofType(awaitRecords("rewind.servers", id, r -> true), "server.updated").size());
    }
}
