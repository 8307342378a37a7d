package dev.rewind.source;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binlog client's TLS ({@link SourceTls#upgrade}) against a TLS server holding the local sources' certificate
 * (it names 127.0.0.1 and localhost): the chain is checked for verify_ca, and the registered name for verify_identity,
 * whatever address the socket reached.
 */
class TlsUpgradeTest {

    static SSLServerSocket server;
    static final ExecutorService ACCEPT = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void serve() throws Exception {
        Path tls = Path.of(System.getenv("REWIND_HOME"), "tls");
        String keyPem = Files.readString(tls.resolve("server-key.pem")).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(keyPem)));
        Certificate cert = CaCertificates.parse(Files.readString(tls.resolve("server-cert.pem"))).get(0);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0);
        ACCEPT.submit(() -> {
            while (!server.isClosed()) {
                try (SSLSocket s = (SSLSocket) server.accept(); InputStream in = s.getInputStream()) {
                    s.startHandshake();
                    s.getOutputStream().write(1);
                    s.getOutputStream().flush();
                    in.read();
                } catch (Exception e) {
                    // the client refused our certificate: next one
                }
            }
            return null;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        ACCEPT.shutdownNow();
    }

    static void handshake(SourceTls tls, String registeredHost) throws Exception {
        try (Socket plain = new Socket("127.0.0.1", server.getLocalPort());
                SSLSocket s = tls.upgrade(plain, registeredHost, server.getLocalPort())) {
            s.startHandshake();
            assertEquals(1, s.getInputStream().read());
        }
    }

    @Test
    void theRightCaAndNamePass() throws Exception {
        String ca = SourceTlsTest.localCa();
        handshake(SourceTls.of("verify_ca", ca), "db.example.test");
        handshake(SourceTls.of("verify_identity", ca), "127.0.0.1");
        handshake(SourceTls.of("verify_identity", ca), "localhost");
        handshake(SourceTls.of("required", null), "db.example.test");
    }

    @Test
    void anotherNameOrCaIsRefused() throws Exception {
        String ca = SourceTlsTest.localCa();
        SSLException name = assertThrows(SSLException.class, () -> handshake(SourceTls.of("verify_identity", ca), "db.example.test"));
        assertTrue(SourceFailures.describe(name, SourceEndpoint.of("db.example.test", 1, "u", "p", SourceTls.of("verify_identity", ca)))
                .contains("does not name the host db.example.test"), name.toString());
        String other = Files.readString(Path.of(System.getenv("REWIND_SOURCE_TLS_OTHER_CA")));
        SSLException chain = assertThrows(SSLException.class, () -> handshake(SourceTls.of("verify_ca", other), "127.0.0.1"));
        assertTrue(SourceFailures.describe(chain, SourceEndpoint.of("h", 1, "u", "p", SourceTls.of("verify_ca", other)))
                .contains("not signed by the CA of tls_ca_cert"), chain.toString());
    }
}
