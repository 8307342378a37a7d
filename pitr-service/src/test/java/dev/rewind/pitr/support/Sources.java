package dev.rewind.pitr.support;

import dev.rewind.testing.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The local stack's binlog sources, administered as root for the tests' own schemas (never `shop`). */
public enum Sources {
    MARIADB("REWIND_MARIADB_PORT"), MYSQL8("REWIND_MYSQL8_PORT");

    private final String portVariable;

    Sources(String portVariable) {
        this.portVariable = portVariable;
    }

    public int port() {
        return Integer.parseInt(LocalStack.env(portVariable));
    }

    public String host() {
        return "127.0.0.1";
    }

    /** A root connection (the rewind user may not create schemas). */
    public Connection root() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://" + host() + ":" + port() + "/?permitMysqlScheme", "root",
                LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"));
    }

    /** Creates a fresh schema {@code pitr_<random>} and answers its name. */
    public String createSchema() throws SQLException {
        String schema = "pitr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("create database " + schema + " character set utf8mb4");
        return schema;
    }

    public void dropSchema(String schema) {
        try {
            execute("drop database if exists " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void execute(String... statements) throws SQLException {
        try (Connection c = root(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    public ServerRegistryStub.Connection connection(UUID serverId, String tenant, String name, String method) {
        return new ServerRegistryStub.Connection(serverId, tenant, name, host(), port(), LocalStack.env("REWIND_SOURCE_USER"),
                LocalStack.env("REWIND_SOURCE_PASSWORD"), method, "ssh_tunnel".equals(method) ? "jump.example.com" : null);
    }
}
