package dev.rewind.backup.it;

import com.sun.net.httpserver.HttpServer;
import dev.rewind.testing.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * server-registry's internal connection endpoint for packaged backup-service processes: every server added here is
 * the local MariaDB source (the token is not checked; the module tests check that contract).
 */
final class RegistryStandIn implements AutoCloseable {

    private final HttpServer http;
    private final Set<UUID> servers = ConcurrentHashMap.newKeySet();

    RegistryStandIn() {
        int port = Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT"));
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/internal/servers/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            UUID server = servers.stream().filter(id -> path.equals("/internal/servers/" + id + "/connection"))
                    .findFirst().orElse(null);
            byte[] bytes = (server == null ? "{}" : ("{\"server_id\":\"%s\",\"tenant\":\"acme\",\"name\":\"it-%s\","
                    + "\"host\":\"127.0.0.1\",\"port\":%d,\"username\":\"%s\",\"password\":\"%s\",\"connection_method\":\"direct\"}")
                    .formatted(server, server, port, LocalStack.env("REWIND_SOURCE_USER"), LocalStack.env("REWIND_SOURCE_PASSWORD")))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(server == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        http.start();
    }

    /** The server's connection is served from now on. */
    void add(UUID server) {
        servers.add(server);
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
