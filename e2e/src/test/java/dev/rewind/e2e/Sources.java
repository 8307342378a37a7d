package dev.rewind.e2e;

import dev.rewind.testing.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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

    /** Every row of a table as its columns' text joined by '|', sorted. */
    List<String> rows(String schema, String table) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = root(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select * from `" + schema + "`.`" + table + "`")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + this + ": " + e.getMessage(), e);
        }
        rows.sort(null);
        return rows;
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
