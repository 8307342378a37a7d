package dev.rewind.backup.support;

import dev.rewind.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * Each test run gets its own database (created here, dropped at the end), its own consumer group and a free HTTP
 * port: a backup-service started on the same machine (./rewind up, an e2e run, another checkout's tests) never
 * claims this run's queued backups or due schedules, and never holds its port. The REST client to server-registry
 * points at this run's port, where the test stand-in {@link ServerRegistryStandIn} answers.
 */
@QuarkusTestResource(OwnTestDatabase.class)
public class OwnTestDatabase implements QuarkusTestResourceLifecycleManager {

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String database = "backup_service_test_" + run;

    @Override
    public Map<String, String> start() {
        execute("create database " + database);
        int port = freePort();
        return Map.of("rewind.database", database,
                "mp.messaging.incoming.servers.group.id", "backup-service-test-" + run,
                "quarkus.http.test-port", Integer.toString(port),
                "quarkus.rest-client.server-registry.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        execute("drop database if exists " + database + " with (force)");
    }

    private static void execute(String statement) {
        String url = "jdbc:postgresql://%s:%s/backup_service".formatted(LocalStack.env("REWIND_DB_HOST"), LocalStack.env("REWIND_DB_PORT"));
        try (Connection db = DriverManager.getConnection(url, LocalStack.env("REWIND_DB_USER"), LocalStack.env("REWIND_DB_PASSWORD"))) {
            db.createStatement().execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + statement + "'", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
