package dev.rewind.pitr.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Gives the test application a free fixed port and points pitr-service's server-registry URL at it, where
 * {@link ServerRegistryStub} answers (the test port is otherwise random, and the URL must be known at start).
 */
public class RegistryPort implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.http.test-port", String.valueOf(port),
                "rewind.server-registry.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
    }
}
