package dev.rewind.pitr.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rewind.pitr.support.ServerRegistryStub.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * server-registry's {@code GET /internal/servers/{id}/connection} for service processes: a small HTTP server in the
 * test JVM answering the servers the test registered, 404 for any other, and only to a bearer token with the
 * {@code servers:connect} scope (pitr-service's client-credentials token from Keycloak).
 */
final class RegistryStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final Map<UUID, Connection> servers = new ConcurrentHashMap<>();
    private final HttpServer http;

    RegistryStub() {
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/internal/servers/", this::connection);
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Answers the server's connection details from now on. */
    void add(Connection server) {
        servers.put(server.serverId(), server);
    }

    private void connection(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/"); // "", internal, servers, {id}, connection
            if (!scopes(exchange.getRequestHeaders().getFirst("Authorization")).contains("servers:connect")) {
                exchange.sendResponseHeaders(403, -1);
                return;
            }
            Connection server = null;
            if (parts.length == 5 && parts[4].equals("connection")) {
                try {
                    server = servers.get(UUID.fromString(parts[3]));
                } catch (IllegalArgumentException e) {
                    // not a UUID: unknown
                }
            }
            if (server == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = JSON.writeValueAsBytes(server);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** The scopes of a bearer JWT (its payload, unverified: Keycloak issued it to the process under test). */
    private static List<String> scopes(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return List.of();
        }
        String[] jwt = authorization.substring(7).split("\\.");
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
            return Arrays.asList(claims.path("scope").asText("").split(" "));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
