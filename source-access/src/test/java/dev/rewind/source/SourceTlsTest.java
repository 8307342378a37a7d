package dev.rewind.source;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The TLS settings a tenant can give, and what each mode tells every client. */
class SourceTlsTest {

    static String localCa() throws Exception {
        return Files.readString(Path.of(System.getenv("REWIND_SOURCE_TLS_CA")));
    }

    @Test
    void modesAreTheMysqlClientsNames() {
        assertEquals(TlsMode.DISABLED, TlsMode.parse(null));
        assertEquals(TlsMode.VERIFY_IDENTITY, TlsMode.parse("verify_identity"));
        assertEquals("verify_ca", TlsMode.VERIFY_CA.wire());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsMode.parse("VERIFY_CA"));
        assertTrue(e.getMessage().contains("disabled, required, verify_ca, verify_identity"), e.getMessage());
        for (TlsMode mode : TlsMode.values()) {
            assertTrue(mode.wire().matches(TlsMode.PATTERN), mode.wire());
        }
    }

    @Test
    void aCaCertificateIsParsedAndOnlyTakenWhereCertificatesAreChecked() throws Exception {
        String ca = localCa();
        assertEquals(1, SourceTls.of("verify_ca", ca).caCertificates().size());
        assertEquals(2, SourceTls.of("verify_identity", ca + "\n" + ca).caCertificates().size());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourceTls.of("required", ca)).getMessage()
                .contains("only used with tls_mode verify_ca or verify_identity"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourceTls.of("disabled", ca)).getMessage()
                .contains("only used"));
    }

    @Test
    void somethingThatIsNotACertificateIsRefusedWithTheReason() throws Exception {
        String ca = localCa();
        String key = Files.readString(Path.of(System.getenv("REWIND_HOME"), "tls", "server-key.pem"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourceTls.of("verify_ca", key)).getMessage()
                .contains("no PEM certificate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourceTls.of("verify_ca", ca + key)).getMessage()
                .contains("something other than PEM certificates"));
        String broken = ca.replace(ca.substring(100, 140), "A".repeat(40));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourceTls.of("verify_ca", broken)).getMessage()
                .contains("cannot be read"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SourceTls.of("verify_ca", "x".repeat(CaCertificates.MAX_PEM_CHARS + 1))).getMessage().contains("longer"));
    }

    @Test
    void theDriverFetchesTheServersKeyOnlyOverTls() {
        Properties plain = new Properties();
        SourceTls.DISABLED.applyTo(plain);
        assertEquals("disable", plain.getProperty("sslMode"));
        assertEquals("false", plain.getProperty("allowPublicKeyRetrieval"));
        Properties required = new Properties();
        new SourceTls(TlsMode.REQUIRED, null).applyTo(required);
        assertEquals("trust", required.getProperty("sslMode"));
        assertEquals("true", required.getProperty("allowPublicKeyRetrieval"));
        Properties full = new Properties();
        new SourceTls(TlsMode.VERIFY_IDENTITY, "PEM").applyTo(full);
        assertEquals("verify-full", full.getProperty("sslMode"));
        assertEquals("PEM", full.getProperty("serverSslCert"));
    }

    @Test
    void theToolsGetTlsTheCaFileAndTheIdentityCheck() {
        Path ca = Path.of("/job/ca.pem");
        assertEquals("", SourceTls.DISABLED.optionLines(ca));
        assertEquals("ssl\n", new SourceTls(TlsMode.REQUIRED, null).optionLines(ca));
        assertEquals("ssl\nssl-ca=/job/ca.pem\n", new SourceTls(TlsMode.VERIFY_CA, "PEM").optionLines(ca));
        assertEquals("ssl\nssl-ca=/job/ca.pem\nssl-verify-server-cert\n", new SourceTls(TlsMode.VERIFY_IDENTITY, "PEM").optionLines(ca));
        assertEquals("ssl\nssl-ca=" + SourceTls.SYSTEM_CA_BUNDLE + "\n", new SourceTls(TlsMode.VERIFY_CA, null).optionLines(ca));
    }

    @Test
    void theCertificateIsCheckedAgainstTheRegisteredNameNotTheAddress() {
        SourceEndpoint byName = SourceEndpoint.of("db.example.test", 3306, "u", "s3cr3t-pw", new SourceTls(TlsMode.VERIFY_IDENTITY, null))
                .at("10.0.0.5");
        assertEquals("db.example.test", byName.connectHost());
        SourceEndpoint byAddress = SourceEndpoint.of("db.example.test", 3306, "u", "p", new SourceTls(TlsMode.VERIFY_CA, null))
                .at("10.0.0.5");
        assertEquals("10.0.0.5", byAddress.connectHost());
        assertEquals("127.0.0.1", SourceEndpoint.of("localhost", 3306, "u", "p", new SourceTls(TlsMode.VERIFY_IDENTITY, null))
                .at("127.0.0.1").toolHost());
        assertFalse(byName.toString().contains("s3cr3t-pw"), byName.toString());
        assertTrue(byName.toString().contains("db.example.test:3306 at 10.0.0.5"), byName.toString());
        assertEquals("[::1]:3306", SourceEndpoint.of("::1", 3306, "u", "p", null).display());
    }
}
