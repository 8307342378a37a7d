package dev.rewind.backup.service;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backup.dumper.ToolProcess;
import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.source.SourceEndpoint;
import dev.rewind.source.SourceTls;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A server registered with {@code tls_mode}: mydumper and the JDBC reads reach it over TLS with the server's CA, and
 * a CA that did not sign the server's certificate fails the backup saying so. The local sources serve TLS.
 */
@QuarkusTest
class TlsBackupTest {

    static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);

    static int port(String kind) {
        return Integer.parseInt(LocalStack.env("mariadb".equals(kind) ? "REWIND_MARIADB_PORT" : "REWIND_MYSQL8_PORT"));
    }

    @ParameterizedTest
    @CsvSource({"mariadb, verify_ca", "mysql8, verify_ca", "mariadb, verify_identity", "mysql8, verify_identity"})
    void aServerWithItsCaCheckedIsBackedUpAndVerifiedOverTls(String kind, String mode) throws Exception {
        UUID server = TestServers.withTls("acme", kind, mode, "REWIND_SOURCE_TLS_CA");
        try (SourceSchema schema = SourceSchema.withSampleData(port(kind))) {
            JsonPath entry = Backups.awaitFinished(Backups.requestOf(server, schema.name), ADMIN);
            assertEquals("completed", entry.getString("status"), () -> "error: " + entry.getString("error_message"));
            assertThat(entry.getString("verification.reason"), entry.getString("verification.status"), is("passed"));
        }
    }

    @Test
    void aCaThatDidNotSignTheServersCertificateFailsTheBackupSayingSo() throws Exception {
        UUID server = TestServers.withTls("acme", "mariadb", "verify_ca", "REWIND_SOURCE_TLS_OTHER_CA");
        try (SourceSchema schema = SourceSchema.withSampleData(port("mariadb"))) {
            JsonPath entry = Backups.awaitFinished(Backups.requestOf(server, schema.name), ADMIN);
            assertEquals("failed", entry.getString("status"));
            assertThat(entry.getString("error_message"),
                    is("Cannot connect to 127.0.0.1:" + port("mariadb") + " as 'rewind': TLS: the server's certificate is not signed"
                            + " by the CA of tls_ca_cert"));
        }
    }

    @Test
    void theToolsOptionFileCarriesTheTlsSettingsAndTheCa(@org.junit.jupiter.api.io.TempDir Path scratch) throws Exception {
        String ca = Files.readString(Path.of(LocalStack.env("REWIND_SOURCE_TLS_CA")));
        SourceEndpoint endpoint = SourceEndpoint.of("db.example.test", 3306, "u", "pw", SourceTls.of("verify_identity", ca));
        Path defaults = ToolProcess.writeDefaults(endpoint, scratch, "client.cnf");
        String text = Files.readString(defaults);
        assertThat(text, allOf(containsString("\nssl\n"), containsString("ssl-ca=" + scratch.resolve("client.cnf.ca.pem")),
                containsString("ssl-verify-server-cert")));
        assertEquals(ca.strip(), Files.readString(scratch.resolve("client.cnf.ca.pem")).strip());
    }
}
