package dev.rewind.registry.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ServerResourceTest {

    private static final String PASSWORD = "s3cr3t-" + UUID.randomUUID();

    private static Map<String, Object> server(String name) {
        return Map.of("name", name, "host", "127.0.0.1", "port", 3307, "username", "rewind", "password", PASSWORD,
                "connection_method", "direct", "skip_checks", true);
    }

    private static String register(String token, String name) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(server(name))
                .when().post("/servers")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void registeredServerIsReturnedWithLocationAndWithoutItsPassword() {
        String name = "db-" + UUID.randomUUID().toString().substring(0, 8);
        String body = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType(ContentType.JSON).body(server(name))
                .when().post("/servers")
                .then().statusCode(201)
                .header("Location", containsString("/servers/"))
                .body("name", is(name))
                .body("host", is("127.0.0.1"))
                .body("port", is(3307))
                .body("connection_method", is("direct"))
                .body("status", is("onboarding"))
                .body("onboarding_step", is("provisioning"))
                .body("$", not(hasKey("password")))
                .extract().asString();
        assertFalse(body.contains(PASSWORD), "the password never comes back");

        String id = io.restassured.path.json.JsonPath.from(body).getString("id");
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER))
                .when().get("/servers/" + id)
                .then().statusCode(200).body("id", is(id)).body("name", is(name));
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER))
                .when().get("/servers")
                .then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void registrationPublishesServerRegisteredWithoutTheSecret() {
        String id = register(Tokens.user(Tokens.ACME_ADMIN), "evt-" + UUID.randomUUID().toString().substring(0, 8));

        ConsumerRecord<String, String> record = Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> KafkaTopics.read("rewind.servers", r -> id.equals(r.key()), Duration.ofMillis(500)), l -> !l.isEmpty())
                .get(0);
        assertEquals("dev.rewind.server.registered", header(record, "ce_type"));
        assertEquals("server-registry", header(record, "ce_source"));
        assertEquals(id, header(record, "ce_subject"));
        assertEquals("acme", header(record, "ce_tenant"));
        assertFalse(record.value().contains(PASSWORD), "no secret in the event");
        assertEquals(id, io.restassured.path.json.JsonPath.from(record.value()).getString("server_id"));
    }

    @Test
    void anotherTenantsServerIsNotFound() {
        String id = register(Tokens.user(Tokens.ACME_ADMIN), "iso-" + UUID.randomUUID().toString().substring(0, 8));

        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN))
                .when().get("/servers/" + id)
                .then().statusCode(404).contentType("application/problem+json").body("status", is(404));
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN))
                .when().get("/servers")
                .then().statusCode(200).body("id", not(hasItem(id)));
    }

    @Test
    void withoutATokenTheAnswerIs401Problem() {
        given().when().get("/servers")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("title", is("Unauthorized"));
        given().auth().oauth2("not-a-jwt").when().get("/servers")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aReaderCannotRegister() {
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).contentType(ContentType.JSON).body(server("nope"))
                .when().post("/servers")
                .then().statusCode(403).contentType("application/problem+json").body("status", is(403));
    }

    @Test
    void aTokenWithoutServerScopesCannotRead() {
        String id = register(Tokens.user(Tokens.ACME_ADMIN), "scope-" + UUID.randomUUID().toString().substring(0, 8));
        String norole = Tokens.user("acme-norole");
        given().auth().oauth2(norole).when().get("/servers").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(norole).when().get("/servers/" + id).then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(norole).contentType(ContentType.JSON).body(server("nope"))
                .when().post("/servers").then().statusCode(403);
        given().when().get("/servers/" + id).then().statusCode(401);
        given().contentType(ContentType.JSON).body(server("nope")).when().post("/servers").then().statusCode(401);
    }

    @Test
    void invalidRegistrationsAreRejectedWithTheirFields() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "bad-port", "host", "h", "port", 70000, "username", "u", "password", "p"))
                .when().post("/servers")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("port"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "bad-method", "host", "h", "port", 3306, "username", "u", "password", "p", "connection_method", "carrier_pigeon"))
                .when().post("/servers")
                .then().statusCode(400).body("errors.field", hasItem("connection_method"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "no-jump", "host", "h", "port", 3306, "username", "u", "password", "p", "connection_method", "ssh_tunnel"))
                .when().post("/servers")
                .then().statusCode(400).body("errors.field", hasItems("ssh_jump_host", "ssh_jump_port", "ssh_jump_user"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "bad-host", "host", "db/?allowLoadLocalInfile=true", "port", 3306, "username", "u", "password", "p"))
                .when().post("/servers")
                .then().statusCode(400).body("errors.field", hasItem("host"));
        // a credential with a line break would carry extra options into the tools' option files
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "bad-password", "host", "h", "port", 3306, "username", "u\r", "password",
                        "p\nplugin-dir=/tmp/evil", "skip_checks", true))
                .when().post("/servers")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("password", "username"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"bad-jump\", \"host\": \"h\", \"port\": 3306, \"username\": \"u\", \"password\": \"p\","
                        + " \"connection_method\": \"ssh_tunnel\", \"ssh_jump_host\": \"j\", \"ssh_jump_port\": 22,"
                        + " \"ssh_jump_user\": \"u\\u0000\"}")
                .when().post("/servers")
                .then().statusCode(400).body("errors.field", hasItem("ssh_jump_user"));
        // the cloud's metadata service is no source: refused before anything connects, checked or not
        for (boolean skip : List.of(true, false)) {
            given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("name", "metadata-" + skip, "host", "169.254.169.254", "port", 80, "username", "u", "password", "p",
                            "skip_checks", skip))
                    .when().post("/servers")
                    .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("host"))
                    .body("detail", containsString("169.254.0.0/16"));
        }
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "metadata-jump", "host", "10.20.30.40", "port", 3306, "username", "u", "password", "p",
                        "connection_method", "ssh_tunnel", "ssh_jump_host", "169.254.169.254", "ssh_jump_port", 22, "ssh_jump_user", "u"))
                .when().post("/servers")
                .then().statusCode(422).body("errors.field", hasItem("ssh_jump_host"));
        given().auth().oauth2(admin).queryParam("include_decommissioned", true).when().get("/servers")
                .then().statusCode(200).body("name", not(hasItems("metadata-true", "metadata-false", "metadata-jump")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\": ")
                .when().post("/servers")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("not valid JSON"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\":\"x\",\"host\":\"h\",\"port\":\"many\",\"username\":\"u\",\"password\":\"p\"}")
                .when().post("/servers")
                .then().log().ifValidationFails().statusCode(400).body("errors.field", hasItem("port"));
    }

    @Test
    void aDuplicateNameIsAConflict() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        String name = "dup-" + UUID.randomUUID().toString().substring(0, 8);
        register(admin, name);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(server(name))
                .when().post("/servers")
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString(name));
        // another tenant may use the same name
        register(Tokens.user(Tokens.GLOBEX_ADMIN), name);
    }

    @Test
    void concurrentRegistrationsOfOneNameLeaveOneServer() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        String name = "race-" + UUID.randomUUID().toString().substring(0, 8);
        List<CompletableFuture<Integer>> attempts = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> given().auth().oauth2(admin).contentType(ContentType.JSON)
                        .body(server(name)).when().post("/servers").then().extract().statusCode()))
                .toList();
        List<Integer> statuses = attempts.stream().map(CompletableFuture::join).sorted().toList();
        assertEquals(List.of(201, 409, 409, 409), statuses);
        given().auth().oauth2(admin).when().get("/servers").then().body("findAll { it.name == '" + name + "' }.size()", is(1));
    }

    @Test
    void unknownOrMalformedIdsAreNotFound() {
        String reader = Tokens.user(Tokens.ACME_READER);
        given().auth().oauth2(reader).when().get("/servers/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(reader).when().get("/servers/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
