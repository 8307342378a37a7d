package dev.rewind.backup.support;

import dev.rewind.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * The tests get a database of their own ({@code backup_service_test}, created when missing): a backup-service
 * instance started on the same machine (./rewind up, an e2e run) works on {@code backup_service} and would
 * otherwise claim the tests' queued backups and due schedules.
 */
@QuarkusTestResource(OwnTestDatabase.class)
public class OwnTestDatabase implements QuarkusTestResourceLifecycleManager {

    static final String NAME = "backup_service_test";

    @Override
    public Map<String, String> start() {
        String url = "jdbc:postgresql://%s:%s/backup_service".formatted(LocalStack.env("REWIND_DB_HOST"), LocalStack.env("REWIND_DB_PORT"));
        try (Connection db = DriverManager.getConnection(url, LocalStack.env("REWIND_DB_USER"), LocalStack.env("REWIND_DB_PASSWORD"));
                ResultSet exists = db.createStatement().executeQuery("select 1 from pg_database where datname = '" + NAME + "'")) {
            if (!exists.next()) {
                db.createStatement().execute("create database " + NAME);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test database " + NAME, e);
        }
        return Map.of("rewind.database", NAME);
    }

    @Override
    public void stop() {
        // kept between runs, like the service's own database
    }
}
