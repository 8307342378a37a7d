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
                .body("errors[0].field", is("connection"));
        assertTrue(Duration.between(start, Instant.now()).compareTo(Duration.ofSeconds(10)) < 0, "the check is bounded");
    }

    @Test
    void aWrongPasswordIsRejectedAsAccessDenied() {
        String wrong = "wrong-" + UUID.randomUUID();
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(checked(Sources.MARIADB, "rewind", wrong))
                .when().post("/servers")
                .then().statusCode(422)
                .body("detail", allOf(containsString("cannot connect"), containsString("Access denied"), not(containsString(wrong))));
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
                .then().statusCode(422).body("detail", containsString("Access denied"));
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
}
