package dev.rewind.registry;

import static dev.rewind.registry.Api.*;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A server's password is never in a response (but the internal connection endpoint's), an event payload on
 * rewind.servers or rewind.audit, or a line of the service's log — through registration with a real connection
 * check, a password change, failed checks, reads of every kind, and decommissioning.
 */
@QuarkusTest
class SecretsNeverLeakTest {

    private static final int MARIADB = Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT"));

    @Test
    void thePasswordAppearsInNoResponseEventOrLogLine() throws Exception {
        String first = "Sx1-" + UUID.randomUUID();
        String second = "Sx2-" + UUID.randomUUID();
        String wrong = "Sx3-" + UUID.randomUUID();
        List<String> secrets = List.of(first, second, wrong);
        String user = "sr_" + UUID.randomUUID().toString().substring(0, 8);
        List<String> responses = new ArrayList<>();
        sql("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + first + "'",
                "GRANT SELECT, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO '" + user + "'@'%'");
        try {
            Map<String, Object> body = unchecked(uniqueName("secret"), first);
            body.remove("skip_checks");
            body.put("port", MARIADB);
            body.put("username", user);
            String created = given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body)
                    .when().post("/servers").then().statusCode(201).extract().asString();
            responses.add(created);
            String id = io.restassured.path.json.JsonPath.from(created).getString("id");

            responses.add(given().auth().oauth2(reader()).when().get("/servers/" + id).then().statusCode(200).extract().asString());
            responses.add(given().auth().oauth2(reader()).when().get("/servers").then().statusCode(200).extract().asString());
            responses.add(given().auth().oauth2(reader()).when().get("/servers/" + id + "/onboarding-status").then().statusCode(200).extract().asString());

            // a wrong password is refused by the check; the refusal does not repeat it
            responses.add(given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("password", wrong))
                    .when().patch("/servers/" + id).then().statusCode(422).extract().asString());
            Map<String, Object> unreachable = new java.util.HashMap<>(body);
            unreachable.put("name", uniqueName("nowhere"));
            unreachable.put("port", 1);
            unreachable.put("password", wrong);
            responses.add(given().auth().oauth2(admin()).contentType(ContentType.JSON).body(unreachable)
                    .when().post("/servers").then().statusCode(422).extract().asString());

            // the real password changes on the source, then in Rewind (checked against the source)
            sql("ALTER USER '" + user + "'@'%' IDENTIFIED BY '" + second + "'");
            responses.add(given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("password", second))
                    .when().patch("/servers/" + id).then().statusCode(200).extract().asString());

            String connection = given().auth().oauth2(Tokens.service("pitr-service"))
                    .when().get("/internal/servers/" + id + "/connection").then().statusCode(200).extract().asString();
            assertTrue(connection.contains(second), "the internal endpoint is the one place that returns it");

            given().auth().oauth2(admin()).when().delete("/servers/" + id).then().statusCode(204);

            for (String response : responses) {
                secrets.forEach(secret -> assertFalse(response.contains(secret), "a response holds a password: " + response));
            }

            var serverEvents = awaitRecords("rewind.servers", id, r -> !ofType(r, "server.decommissioned").isEmpty());
            assertEquals(3, serverEvents.size(), "registered, updated, decommissioned");
            var auditEvents = awaitRecords("rewind.audit", id, r -> r.size() >= 4);
            for (var record : concat(serverEvents, auditEvents)) {
                secrets.forEach(secret -> assertFalse(record.value().contains(secret), "an event holds a password: " + record.value()));
                record.headers().forEach(h -> secrets.forEach(secret ->
                        assertFalse(new String(h.value()).contains(secret), "an event header holds a password")));
            }

            String log = Files.readString(Path.of("target/quarkus.log"));
            assertTrue(log.contains("connection check of 127.0.0.1:" + MARIADB + " as '" + user + "'"), "the log covers this test");
            secrets.forEach(secret -> assertFalse(log.contains(secret), "the log holds a password"));
        } finally {
            sql("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void sql(String... statements) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", "root");
        props.setProperty("password", LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"));
        try (Connection c = new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://127.0.0.1:" + MARIADB + "/", props);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
