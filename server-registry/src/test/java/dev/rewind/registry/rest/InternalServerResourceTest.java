package dev.rewind.registry.rest;

import static dev.rewind.registry.Api.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GET /internal/servers/{id}/connection: service accounts with servers:connect only, any tenant, always audited. */
@QuarkusTest
class InternalServerResourceTest {

    @Test
    void aServiceAccountReadsAnyTenantsConnectionAndTheReadIsAudited() {
        String password = "pw-" + UUID.randomUUID();
        String name = uniqueName("conn");
        String id = register(globex(), tunnelled(name, password));

        given().auth().oauth2(Tokens.service("pitr-service"))
                .when().get("/internal/servers/" + id + "/connection")
                .then().statusCode(200)
                .header("Cache-Control", containsString("no-store"))
                .body("server_id", is(id))
                .body("tenant", is("globex"))
                .body("name", is(name))
                .body("host", is("10.20.30.40"))
                .body("port", is(3307))
                .body("username", is("rewind"))
                .body("password", is(password))
                .body("connection_method", is("ssh_tunnel"))
                .body("ssh_jump_host", is("bastion.example.com"))
                .body("ssh_jump_port", is(22))
                .body("ssh_jump_user", is("rewind"))
                .body("tls_mode", is("disabled"))
                .body("tls_ca_cert", nullValue());
        given().auth().oauth2(Tokens.service("backup-service"))
                .when().get("/internal/servers/" + id + "/connection")
                .then().statusCode(200).body("password", is(password));

        var audits = ofType(awaitRecords("rewind.audit", id,
                records -> records.stream().filter(r -> r.value().contains("server.connection.read")).count() >= 2), "audit.recorded");
        var reads = audits.stream().map(r -> JsonPath.from(r.value()))
                .filter(a -> "server.connection.read".equals(a.getString("action"))).toList();
        assertEquals(2, reads.size(), "every read is audited");
        assertEquals("globex", reads.get(0).getString("tenant"));
        assertEquals("server", reads.get(0).getString("entity_type"));
        assertEquals(id, reads.get(0).getString("entity_id"));
        assertTrue(reads.stream().map(a -> a.getString("actor")).toList().containsAll(java.util.List.of("pitr-service", "backup-service")));
        audits.forEach(r -> assertFalse(r.value().contains(password), "no secret in the audit trail"));
    }

    @Test
    void usersAndServicesWithoutServersConnectAreRefused() {
        String id = register(admin(), unchecked(uniqueName("sec"), "pw-" + UUID.randomUUID()));
        given().when().get("/internal/servers/" + id + "/connection").then().statusCode(401);
        given().auth().oauth2(admin()).when().get("/internal/servers/" + id + "/connection")
                .then().statusCode(403).contentType("application/problem+json").body("$", not(hasKey("password")));
        given().auth().oauth2(reader()).when().get("/internal/servers/" + id + "/connection").then().statusCode(403);
        given().auth().oauth2(Tokens.service("server-registry")).when().get("/internal/servers/" + id + "/connection")
                .then().statusCode(403);
    }

    @Test
    void unknownAndDecommissionedServersHaveNoConnection() {
        String pitr = Tokens.service("pitr-service");
        given().auth().oauth2(pitr).when().get("/internal/servers/" + UUID.randomUUID() + "/connection")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(pitr).when().get("/internal/servers/not-a-uuid/connection").then().statusCode(404);
        String id = register(admin(), unchecked(uniqueName("old"), "pw-" + UUID.randomUUID()));
        given().auth().oauth2(admin()).when().delete("/servers/" + id).then().statusCode(204);
        given().auth().oauth2(pitr).when().get("/internal/servers/" + id + "/connection").then().statusCode(404);
    }
}
