package dev.rewind.source;

import static org.junit.jupiter.api.Assertions.*;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The one connect against the local stack's MariaDB and MySQL 8, which serve TLS with a certificate of the local CA. */
class SourceJdbcTest {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    static SourceEndpoint source(String port, SourceTls tls) {
        return SourceEndpoint.of("127.0.0.1", Integer.parseInt(System.getenv(port)), System.getenv("REWIND_SOURCE_USER"),
                System.getenv("REWIND_SOURCE_PASSWORD"), tls).at("127.0.0.1");
    }

    static String cipher(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            return rs.next() ? rs.getString(2) : "";
        }
    }

    static String failure(SourceEndpoint endpoint) {
        SQLException e = assertThrows(SQLException.class, () -> SourceJdbc.connect(endpoint, TIMEOUT, TIMEOUT).close());
        return SourceFailures.describe(e, endpoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"REWIND_MARIADB_PORT", "REWIND_MYSQL8_PORT"})
    void everyModeGetsTheConnectionItAsksFor(String port) throws Exception {
        String ca = SourceTlsTest.localCa();
        try (Connection c = SourceJdbc.connect(source(port, SourceTls.DISABLED), TIMEOUT, TIMEOUT)) {
            assertEquals("", cipher(c), "disabled is plain");
        }
        for (SourceTls tls : new SourceTls[] {SourceTls.of("required", null), SourceTls.of("verify_ca", ca),
                SourceTls.of("verify_identity", ca)}) {
            try (Connection c = SourceJdbc.connect(source(port, tls), TIMEOUT, TIMEOUT)) {
                assertFalse(cipher(c).isEmpty(), tls + " is encrypted");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"REWIND_MARIADB_PORT", "REWIND_MYSQL8_PORT"})
    void aWrongCaIsRefusedNamingTheReason(String port) throws Exception {
        String other = java.nio.file.Files.readString(java.nio.file.Path.of(System.getenv("REWIND_SOURCE_TLS_OTHER_CA")));
        assertEquals("TLS: the server's certificate is not signed by the CA of tls_ca_cert",
                failure(source(port, SourceTls.of("verify_ca", other))));
    }

    @Test
    void aWrongPasswordIsAccessDenied() {
        SourceEndpoint wrong = SourceEndpoint.of("127.0.0.1", Integer.parseInt(System.getenv("REWIND_MARIADB_PORT")), "rewind",
                "not-the-password", SourceTls.DISABLED).at("127.0.0.1");
        String why = failure(wrong);
        assertTrue(why.startsWith("access denied"), why);
        assertFalse(why.contains("not-the-password"), why);
    }

    @Test
    void aClosedPortAndAPortWithSomethingElseLookTheSame() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        SourceEndpoint nothing = new SourceEndpoint("127.0.0.1", "127.0.0.1", closed, "rewind", "x", SourceTls.DISABLED);
        // Kafka's port: it listens, but speaks no MySQL
        SourceEndpoint kafka = new SourceEndpoint("127.0.0.1", "127.0.0.1",
                Integer.parseInt(System.getenv("KAFKA_BOOTSTRAP_SERVERS").replaceAll(".*:", "")), "rewind", "x", SourceTls.DISABLED);
        String a = failure(nothing);
        assertEquals(a, failure(kafka));
        assertTrue(a.startsWith("no MySQL or MariaDB server answered"), a);
    }
}
