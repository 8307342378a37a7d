package dev.rewind.registry.check;

import dev.rewind.testing.LocalStack;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/** The local stack's MariaDB and MySQL 8 sources as root sees them, and throw-away MariaDB instances of our own. */
final class Sources {

    static final int MARIADB = Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT"));
    static final int MYSQL8 = Integer.parseInt(LocalStack.env("REWIND_MYSQL8_PORT"));

    private Sources() {
    }

    static Connection root(int port, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "root");
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5000");
        return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://127.0.0.1:" + port + "/", props);
    }

    static Connection root(int port) throws SQLException {
        return root(port, LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"));
    }

    /** Creates a user on a source (as root) with the given global privileges; answers its name. */
    static String createUser(int port, String password, String globalPrivileges) throws SQLException {
        String user = "sr_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = root(port); Statement s = c.createStatement()) {
            s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
            s.execute("GRANT " + globalPrivileges + " ON *.* TO '" + user + "'@'%'");
        }
        return user;
    }

    static void dropUser(int port, String user) throws SQLException {
        try (Connection c = root(port); Statement s = c.createStatement()) {
            s.execute("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A MariaDB server of this test alone (temp datadir, spare port), so its global settings can be anything without
     * touching the shared sources. Root has no password, over TCP from 127.0.0.1.
     */
    static final class OwnMariaDb implements AutoCloseable {

        final int port;
        private final Path dir;
        private final Process process;

        OwnMariaDb(String... settings) throws Exception {
            dir = Files.createTempDirectory("sr-mariadb-");
            port = freePort();
            StringBuilder cnf = new StringBuilder("""
                    [mysqld]
                    user=root
                    basedir=/usr
                    datadir=%1$s/data
                    socket=%1$s/mysqld.sock
                    pid-file=%1$s/mysqld.pid
                    log-error=%1$s/error.log
                    bind-address=127.0.0.1
                    port=%2$d
                    skip-name-resolve
                    server_id=77
                    log_bin=%1$s/binlog
                    innodb_buffer_pool_size=16M
                    innodb_log_file_size=8M
                    performance_schema=OFF
                    """.formatted(dir, port));
            for (String setting : settings) {
                cnf.append(setting).append('\n');
            }
            Path config = dir.resolve("my.cnf");
            Files.writeString(config, cnf);
            Process install = new ProcessBuilder("mariadb-install-db", "--defaults-file=" + config,
                    "--auth-root-authentication-method=normal", "--skip-test-db")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("install.log").toFile()).start();
            if (install.waitFor() != 0) {
                throw new IllegalStateException("mariadb-install-db failed: " + Files.readString(dir.resolve("install.log")));
            }
            process = new ProcessBuilder("mariadbd", "--defaults-file=" + config)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mariadbd.out").toFile()).start();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (true) {
                try (Connection ignored = root(port, "")) {
                    break;
                } catch (SQLException e) {
                    if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                        close();
                        throw new IllegalStateException("own MariaDB did not come up on port " + port, e);
                    }
                    Thread.sleep(200); // polling a starting server, not waiting for a result
                }
            }
        }

        String createUser(String password, String globalPrivileges) throws SQLException {
            String user = "sr_" + UUID.randomUUID().toString().substring(0, 8);
            try (Connection c = root(port, ""); Statement s = c.createStatement()) {
                s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
                s.execute("GRANT " + globalPrivileges + " ON *.* TO '" + user + "'@'%'");
            }
            return user;
        }

        @Override
        public void close() throws Exception {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
