package dev.rewind.backup.it;

import dev.rewind.testing.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** A backup-service database of one IT run's own (created, then dropped), shared by the processes it starts. */
final class ItDatabase implements AutoCloseable {

    final String name;

    ItDatabase(String run) throws SQLException {
        this.name = "backup_service_it_" + run;
        admin("create database " + name);
    }

    /** The single value of a query with one UUID parameter. */
    Object value(String sql, UUID id) throws SQLException {
        try (Connection db = connect(name); PreparedStatement st = db.prepareStatement(sql)) {
            st.setObject(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    long count(String sql, UUID id) throws SQLException {
        return ((Number) value(sql, id)).longValue();
    }

    void update(String sql, UUID id) throws SQLException {
        try (Connection db = connect(name); PreparedStatement st = db.prepareStatement(sql)) {
            st.setObject(1, id);
            st.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        admin("drop database if exists " + name + " with (force)");
    }

    private static void admin(String statement) throws SQLException {
        try (Connection db = connect("backup_service")) {
            db.createStatement().execute(statement);
        }
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://%s:%s/%s".formatted(LocalStack.env("REWIND_DB_HOST"),
                LocalStack.env("REWIND_DB_PORT"), database), LocalStack.env("REWIND_DB_USER"), LocalStack.env("REWIND_DB_PASSWORD"));
    }
}
