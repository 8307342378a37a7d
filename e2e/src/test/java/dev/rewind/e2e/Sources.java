package dev.rewind.e2e;

import dev.rewind.testing.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The local binlog sources, administered as root over TCP the way a DBA would. */
enum Sources {
    MARIADB("REWIND_MARIADB_HOST", "REWIND_MARIADB_PORT"),
    MYSQL8("REWIND_MYSQL8_HOST", "REWIND_MYSQL8_PORT");

    private final String hostVariable;
    private final String portVariable;

    Sources(String hostVariable, String portVariable) {
        this.hostVariable = hostVariable;
        this.portVariable = portVariable;
    }

    String host() {
        return LocalStack.env(hostVariable);
    }

    int port() {
        return Integer.parseInt(LocalStack.env(portVariable));
    }

    Connection root() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://" + host() + ":" + port() + "/?allowPublicKeyRetrieval=true",
                "root", LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"));
    }

    /** Runs statements as root, in order, each committed on its own (autocommit). */
    void execute(String... statements) {
        try (Connection connection = root(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + this + ": " + e.getMessage(), e);
        }
    }
}
