package dev.rewind.registry.check;

import static dev.rewind.registry.Api.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The connection check before a server is accepted, against the real MariaDB and MySQL 8 sources. */
@QuarkusTest
class ConnectionCheckTest {

    private static Sources.OwnMariaDb statementBinlog;

    @BeforeAll
    static void startStatementBinlogServer() throws Exception {
        // the shared sources' binlog_format stays ROW: this one is ours alone
        statementBinlog = new Sources.OwnMariaDb("binlog_format=STATEMENT", "binlog_row_image=FULL",
                "binlog_row_metadata=FULL");
    }

    @AfterAll
    static void stopStatementBinlogServer() throws Exception {
        if (statementBinlog != null) {
            statementBinlog.close();
        }
    }

    private static Map<String, Object> checked(int port, String username, String password) {
        Map<String, Object> body = unchecked(uniqueName("chk"), password);
        body.remove("skip_checks");
        body.put("port", port);
        body.put("username", username);
        return body;
    }

    @Test
    void theRewindUserOfTheMariaDbSourcePasses() {
        String id = register(admin(), checked(Sources.MARIADB, "rewind", "rewind"));
        assertEquals("onboarding", server(id).getString("status"));
    }

    @Test
    void theRewindUserOfTheMySql8SourcePasses() {
        String id = register(admin(), checked(Sources.MYSQL8, "rewind", "rewind"));
        assertEquals("onboarding", server(id).getString("status"));
    }

    @Test
    void aMariaDbUserWithoutReplicationGrantsIsRejectedNamingThem() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        String user = Sources.createUser(Sources.MARIADB, password, "SELECT");
        try {
            given().auth().oauth2(admin()).contentType(ContentType.JSON).body(checked(Sources.MARIADB, user, password))
                    .when().post("/servers")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("detail", allOf(containsString("REPLICATION SLAVE"), containsString("BINLOG MONITOR"), not(containsString(password))))
                    .body("errors.field", everyItem(is("grants")))
                    .body("errors.message", hasItems(containsString("REPLICATION SLAVE"), containsString("BINLOG MONITOR")))
                    .body("errors.message", not(hasItem(containsString("SELECT"))));
        } finally {
            Sources.dropUser(Sources.MARIADB, user);
        }
    }

    @Test
    void aMySql8UserWithoutReplicationClientIsRejectedNamingIt() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        String user = Sources.createUser(Sources.MYSQL8, password, "SELECT, REPLICATION SLAVE");
        try {
            given().auth().oauth2(admin()).contentType(ContentType.JSON).body(checked(Sources.MYSQL8, user, password))
                    .when().post("/servers")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("errors.size()", is(1))
                    .body("errors[0].field", is("grants"))
                    .body("errors[0].message", containsString("REPLICATION CLIENT"))
                    .body("detail", containsString("REPLICATION CLIENT"));
        } finally {
            Sources.dropUser(Sources.MYSQL8, user);
        }
    }

    @Test
    void aServerWithStatementBinlogIsRejectedNamingBinlogFormat() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        String user = statementBinlog.createUser(password, "SELECT, REPLICATION SLAVE, BINLOG MONITOR");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(checked(statementBinlog.port, user, password))
                .when().post("/servers")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.size()", is(1))
                .body("errors[0].field", is("binlog_format"))
                .body("errors[0].message", containsString("STATEMENT"))
                .body("detail", allOf(containsString("binlog_format"), containsString("ROW")));
    }

    @Test
    void aServerWithoutFullRowMetadataIsRejectedSayingWhy() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        String user = statementBinlog.createUser(password, "SELECT, REPLICATION SLAVE, BINLOG MONITOR");
        try (java.sql.Connection c = Sources.root(statementBinlog.port, ""); java.sql.Statement s = c.createStatement()) {
            s.execute("SET GLOBAL binlog_format = ROW, GLOBAL binlog_row_metadata = MINIMAL");
            try {
                given().auth().oauth2(admin()).contentType(ContentType.JSON).body(checked(statementBinlog.port, user, password))
                        .when().post("/servers")
                        .then().statusCode(422).contentType("application/problem+json")
                        .body("errors.size()", is(1))
                        .body("errors[0].field", is("binlog_row_metadata"))
                        .body("errors[0].message", allOf(containsString("MINIMAL"), containsString("ALTER TABLE")));
            } finally {
                s.execute("SET GLOBAL binlog_format = STATEMENT, GLOBAL binlog_row_metadata = FULL");
            }
        }
    }

    @Test
    void anUnreachableServerIsRejectedQuicklyAsUnreachable() throws Exception {
        int closed = Sources.freePort();
        Instant start = Instant.now();
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(checked(closed, "rewind", "rewind"))
                .when().post("/servers")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("cannot connect to 127.0.0.1:" + closed))
                .body("detail", containsString("no MySQL or MariaDB server answered"))
                .body("errors[0].field", is("connection"));
        assertTrue(Duration.between(start, Instant.now()).compareTo(Duration.ofSeconds(10)) < 0, "the check is bounded");
    }

    @Test
    void aWrongPasswordIsRejectedAsAccessDenied() {
        String wrong = "wrong-" + UUID.randomUUID();
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(checked(Sources.MARIADB, "rewind", wrong))
                .when().post("/servers")
                .then().statusCode(422)
                .body("detail", allOf(containsString("cannot connect"), containsString("access denied"), not(containsString(wrong))));
    }

    @Test
    void skipChecksRegistersAServerThatCannotBeReachedYet() throws Exception {
        Map<String, Object> body = checked(Sources.freePort(), "rewind", "rewind");
        body.put("skip_checks", true);
        register(admin(), body);
    }

    @Test
    void aChangedCredentialIsCheckedBeforeItIsAccepted() {
        String id = register(admin(), checked(Sources.MARIADB, "rewind", "rewind"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("password", "not-the-password"))
                .when().patch("/servers/" + id)
                .then().statusCode(422).body("detail", containsString("access denied"));
        // a name change is not a connection change: no check
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("name", uniqueName("renamed")))
                .when().patch("/servers/" + id)
                .then().statusCode(200);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("port", Sources.MYSQL8))
                .when().patch("/servers/" + id)
                .then().statusCode(200).body("port", is(Sources.MYSQL8)).body("status", is("onboarding"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("password", "still-wrong", "skip_checks", true))
                .when().patch("/servers/" + id)
                .then().statusCode(200);
    }

    /** What the check says for a port: the detail without the port number, which differs by case. */
    private static String refusalAt(int port) {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON).body(checked(port, "rewind", "rewind"))
                .when().post("/servers")
                .then().statusCode(422).extract().path("detail").toString().replace(":" + port, ":PORT");
    }

    @Test
    void whatListensOnAPortThatIsNoSourceIsNotRevealed() throws Exception {
        int kafka = Integer.parseInt(dev.rewind.testing.LocalStack.env("KAFKA_BOOTSTRAP_SERVERS").replaceAll(".*:", ""));
        int keycloak = java.net.URI.create(dev.rewind.testing.LocalStack.env("REWIND_KEYCLOAK_URL")).getPort();
        String closed = refusalAt(Sources.freePort());
        assertEquals(closed, refusalAt(kafka), "Kafka listens there: the answer must not say so");
        assertEquals(closed, refusalAt(keycloak), "an HTTP server listens there: the answer must not say so");
    }

    private static Map<String, Object> withTls(int port, String mode, String caFile) throws Exception {
        Map<String, Object> body = checked(port, "rewind", "rewind");
        body.put("tls_mode", mode);
        if (caFile != null) {
            body.put("tls_ca_cert", java.nio.file.Files.readString(java.nio.file.Path.of(dev.rewind.testing.LocalStack.env(caFile))));
        }
        return body;
    }

    @Test
    void bothSourcesPassWithTheirCaVerified() throws Exception {
        for (int port : new int[] {Sources.MARIADB, Sources.MYSQL8}) {
            String id = register(admin(), withTls(port, "verify_ca", "REWIND_SOURCE_TLS_CA"));
            assertEquals("verify_ca", server(id).getString("tls_mode"));
            assertTrue(server(id).getString("tls_ca_cert").startsWith("-----BEGIN CERTIFICATE-----"));
            register(admin(), withTls(port, "verify_identity", "REWIND_SOURCE_TLS_CA"));
            register(admin(), withTls(port, "required", null));
        }
    }

    @Test
    void aWrongCaIsRefusedAtTheCheckNamingTheReason() throws Exception {
        for (int port : new int[] {Sources.MARIADB, Sources.MYSQL8}) {
            given().auth().oauth2(admin()).contentType(ContentType.JSON).body(withTls(port, "verify_ca", "REWIND_SOURCE_TLS_OTHER_CA"))
                    .when().post("/servers")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("errors[0].field", is("connection"))
                    .body("detail", containsString("TLS: the server's certificate is not signed by the CA of tls_ca_cert"));
        }
    }

    @Test
    void aServerWithoutTlsIsRefusedWhenTlsIsRequired() throws Exception {
        // the machine's own MariaDB (3306) serves no TLS: our throw-away one neither
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(withTls(statementBinlog.port, "required", null))
                .when().post("/servers")
                .then().statusCode(422)
                .body("detail", containsString("the server does not offer TLS, which tls_mode required requires"));
    }

    @Test
    void tlsSettingsThatCannotWorkAreBadRequests() throws Exception {
        Map<String, Object> unknown = withTls(Sources.MARIADB, "VERIFY_CA", null);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(unknown).when().post("/servers")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("tls_mode"));
        Map<String, Object> caWithoutCheck = withTls(Sources.MARIADB, "required", "REWIND_SOURCE_TLS_CA");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(caWithoutCheck).when().post("/servers")
                .then().statusCode(400).body("errors[0].field", is("tls_ca_cert"))
                .body("detail", containsString("only used with tls_mode verify_ca or verify_identity"));
        Map<String, Object> notPem = withTls(Sources.MARIADB, "verify_ca", null);
        notPem.put("tls_ca_cert", "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(notPem).when().post("/servers")
                .then().statusCode(400).body("errors[0].field", is("tls_ca_cert"));
    }

    @Test
    void aChangedTlsModeIsCheckedAndAModeWithoutChecksDropsTheCa() throws Exception {
        String id = register(admin(), withTls(Sources.MARIADB, "verify_ca", "REWIND_SOURCE_TLS_CA"));
        String other = java.nio.file.Files.readString(java.nio.file.Path.of(dev.rewind.testing.LocalStack.env("REWIND_SOURCE_TLS_OTHER_CA")));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("tls_ca_cert", other))
                .when().patch("/servers/" + id)
                .then().statusCode(422).body("detail", containsString("not signed by the CA of tls_ca_cert"));
        assertEquals("verify_ca", server(id).getString("tls_mode"), "nothing changed");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("tls_mode", "required"))
                .when().patch("/servers/" + id)
                .then().statusCode(200).body("tls_mode", is("required")).body("tls_ca_cert", nullValue());
    }
}
