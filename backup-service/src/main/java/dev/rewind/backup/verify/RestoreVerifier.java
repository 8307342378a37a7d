package dev.rewind.backup.verify;

import dev.rewind.backup.config.BackupConfig;
import dev.rewind.backup.dumper.DumpFailed;
import dev.rewind.backup.dumper.DumpResult;
import dev.rewind.backup.dumper.JobPaths;
import dev.rewind.backup.dumper.SourceJdbc;
import dev.rewind.backup.dumper.SourceSnapshot;
import dev.rewind.backup.dumper.ToolProcess;
import dev.rewind.backup.storage.ArtifactStore;
import dev.rewind.backup.storage.StoredFile;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Restore verification of an uploaded backup: its files are downloaded from S3 (each checked against the SHA-256
 * taken on upload), each database is restored with myloader into a scratch database
 * {@code rewind_verify_<backup>_<db>} on the verification server of the source's kind, and every table's row count
 * and columns are compared with the counts of the dump and the source's information_schema when the dump started.
 * <p>
 * A dump is the tenant's SQL (its triggers, views, routines and events included), so it never runs with the
 * configured account's rights: the configured account only creates the scratch databases and an account of this
 * verification, {@code rewind_verify_<backup>}, granted on those databases and nothing else, and the restore runs as
 * that account. Every DEFINER in the dump becomes that account and every event is created disabled
 * ({@link TenantObjects}). A verification server that writes a binlog or runs events is refused unless
 * {@code allow-source-servers} is set (the local stack verifies on its sources).
 * The scratch databases and the account are always dropped afterwards. Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class RestoreVerifier {

    /** {@code [scheme://]host[:port][/…]}. */
    private static final Pattern URL = Pattern.compile("^(?:[a-z]+://)?(\\[[^\\]]+\\]|[^:/]+)(?::(\\d{1,5}))?(?:/.*)?$");
    private static final int ERROR_CHARS = 2000;

    private final BackupConfig.Verify config;
    private final ArtifactStore store;

    public RestoreVerifier(BackupConfig config, ArtifactStore store) {
        this.config = config.verify();
        this.store = store;
    }

    record Server(String host, int port, String user, String password, dev.rewind.source.SourceTls tls) {

        /** The same server, reached as another account. */
        Server as(String otherUser, String otherPassword) {
            return new Server(host, port, otherUser, otherPassword, tls);
        }

        dev.rewind.source.SourceEndpoint endpoint() {
            return dev.rewind.source.SourceEndpoint.of(host, port, user, password, tls);
        }

        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** The verification server for a kind of source, when one is configured. */
    Optional<Server> serverFor(String kind) {
        BackupConfig.Verify.Target target = "mariadb".equals(kind) ? config.mariadb() : config.mysql();
        return target.url().filter(u -> !u.isBlank()).map(url -> {
            Matcher m = URL.matcher(url.strip());
            if (!m.matches()) {
                throw new IllegalStateException("rewind.backup.verify." + kind + ".url is not host:port: " + url);
            }
            String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
            return new Server(host, m.group(2) == null ? 3306 : Integer.parseInt(m.group(2)), target.user().orElse("root"),
                    target.password().orElse(""), dev.rewind.source.SourceTls.of(target.tlsMode(), caOf(kind, target)));
        });
    }

    /** The verifier's CA certificates, read from {@code tls-ca-file}; null when none is configured. */
    private static String caOf(String kind, BackupConfig.Verify.Target target) {
        return target.tlsCaFile().filter(f -> !f.isBlank()).map(file -> {
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of(file.strip()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("rewind.backup.verify." + kind + ".tls-ca-file cannot be read: " + e.getMessage());
            }
        }).orElse(null);
    }

    /** True when a backup of this kind of source would be verified. */
    public boolean configuredFor(String kind) {
        return serverFor(kind).isPresent();
    }

    /**
     * Verifies the backup stored under {@code prefix}.
     *
     * @param tool   the dump's tool: a mydumper dump is restored with myloader, a mysqldump one with the client
     * @param files  the stored files (their SHA-256 as uploaded)
     * @param source the source's kind and schema when the dump started
     * @param dumped rows per table counted in the dump
     * @param work   a private folder of the backup (the files are downloaded below it)
     */
    public Verification verify(UUID backupId, String tool, String prefix, List<StoredFile> files, SourceSnapshot source,
            List<DumpResult.TableRows> dumped, Path work) throws InterruptedException {
        String label = "mariadb".equals(source.kind()) ? "MariaDB" : "MySQL";
        Optional<Server> configured = serverFor(source.kind());
        if (configured.isEmpty()) {
            return Verification.skipped("No " + label + " verification server is configured (rewind.backup.verify."
                    + source.kind() + ".url); the backup was not restored to check it");
        }
        Server server = configured.get();
        long deadline = System.nanoTime() + config.timeout().toNanos();
        Path dir = work.resolve("verify");
        try {
            Files.createDirectories(dir);
            String corrupt = download(prefix, files, dir);
            if (corrupt != null) {
                return new Verification(Verification.FAILED, corrupt, List.of());
            }
        } catch (IOException | RuntimeException e) {
            return Verification.error("The backup could not be downloaded from S3 to verify it: " + e.getMessage());
        }
        Map<String, String> scratch = new LinkedHashMap<>();
        for (String db : dumped.stream().map(DumpResult.TableRows::schema).collect(Collectors.toCollection(TreeSet::new))) {
            scratch.put(db, scratchName(backupId, db));
        }
        String account = accountName(backupId);
        try {
            Server restorer;
            try (Connection connection = connect(server)) {
                String refused = config.allowSourceServers() ? null : refusal(connection);
                if (refused != null) {
                    return Verification.error("The " + label + " verification server " + server + " was not used: " + refused);
                }
                for (String name : scratch.values()) {
                    execute(connection, "drop database if exists " + SourceJdbc.quote(name));
                    execute(connection, "create database " + SourceJdbc.quote(name));
                }
                restorer = createAccount(connection, server, account, scratch.values());
            } catch (SQLException e) {
                return Verification.error("The " + label + " verification server " + server + " could not be used: "
                        + e.getMessage());
            }
            boolean mysqldump = "mysqldump".equals(tool);
            if (!mysqldump) {
                try {
                    disarmSchemaFiles(dir);
                } catch (IOException e) {
                    return Verification.error("The dump's triggers, views, routines and events could not be prepared for"
                            + " the restore: " + e.getMessage());
                }
            }
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> db : scratch.entrySet()) {
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                String failure = mysqldump ? client(restorer, dir, db.getKey(), db.getValue(), left, work)
                        : myloader(restorer, dir, db.getKey(), db.getValue(), left, work);
                if (failure != null) {
                    problems.add((mysqldump ? "the mysql client" : "myloader") + " could not restore " + db.getKey() + ": "
                            + failure);
                }
                if (System.nanoTime() > deadline) {
                    return Verification.error("The verification did not finish within " + config.timeout() + " and was stopped");
                }
            }
            List<Verification.Check> checks;
            try (Connection connection = connect(server)) {
                checks = compare(connection, scratch, source, dumped);
            } catch (SQLException e) {
                return Verification.error("The restored tables could not be read on " + server + ": " + e.getMessage());
            }
            List<Verification.Check> failed = checks.stream().filter(Verification.Check::failed).toList();
            if (problems.isEmpty() && failed.isEmpty()) {
                return new Verification(Verification.PASSED, null, checks);
            }
            if (!failed.isEmpty()) {
                problems.add(failed.size() + " of " + checks.size() + " checks failed: " + failed.stream().limit(5)
                        .map(c -> c.name() + " of " + c.table() + " (expected " + c.expected() + ", restored " + c.actual() + ")")
                        .collect(Collectors.joining("; ")) + (failed.size() > 5 ? "; …" : ""));
            }
            return new Verification(Verification.FAILED, String.join("\n", problems), checks);
        } finally {
            dropScratch(server, scratch.values(), account);
        }
    }

    /**
     * Why this server must not verify tenants' dumps, or null: a server writing a binlog ships what is restored on it
     * to its replicas and binlog readers, and one running the event scheduler could run a tenant's events.
     */
    private static String refusal(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("select @@global.log_bin, @@global.event_scheduler")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return "it writes a binary log (log_bin is ON), so tenants' restores would reach its replicas and binlog"
                        + " readers; a verification server must be a dedicated scratch server with skip-log-bin"
                        + " (rewind.backup.verify.allow-source-servers=true allows it, for a local stack only)";
            }
            if ("ON".equalsIgnoreCase(rs.getString(2))) {
                return "its event scheduler is ON, so it could run tenants' events; start it with event_scheduler=OFF";
            }
            return null;
        }
    }

    /**
     * Creates the account this verification restores with: a random password, every privilege on the scratch
     * databases and none elsewhere (no SUPER, no SET USER, no FILE), so tenant SQL cannot reach other databases.
     */
    private static Server createAccount(Connection connection, Server server, String account, Iterable<String> databases)
            throws SQLException {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String user = "'" + account + "'@'%'";
        execute(connection, "drop user if exists " + user);
        try {
            // MySQL 8: the tools' client library speaks mysql_native_password over a plain connection
            execute(connection, "create user " + user + " identified with mysql_native_password by '" + password + "'");
        } catch (SQLException e) {
            execute(connection, "create user " + user + " identified by '" + password + "'");
        }
        for (String database : databases) {
            execute(connection, "grant all privileges on " + SourceJdbc.quote(grantPattern(database)) + ".* to " + user);
        }
        return server.as(account, password);
    }

    /** A database name as GRANT reads it: {@code _} and {@code %} are wildcards there, so they are escaped. */
    static String grantPattern(String database) {
        return database.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%");
    }

    /** {@code rewind_verify_<first 8 of the backup id>}: the account of this backup's verification. */
    static String accountName(UUID backupId) {
        return "rewind_verify_" + backupId.toString().substring(0, 8);
    }

    /** Rewrites mydumper's files of triggers, views, routines and events with {@link TenantObjects}, in place. */
    private static void disarmSchemaFiles(Path dir) throws IOException {
        List<Path> files;
        try (java.util.stream.Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(f -> SCHEMA_OBJECTS.matcher(f.getFileName().toString()).find()).toList();
        }
        for (Path file : files) {
            boolean gzip = file.getFileName().toString().endsWith(".gz");
            Path rewritten = file.resolveSibling(file.getFileName() + ".rewritten");
            try (InputStream raw = Files.newInputStream(file);
                    InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
                    java.io.OutputStream fileOut = Files.newOutputStream(rewritten);
                    java.io.OutputStream out = gzip ? new java.util.zip.GZIPOutputStream(fileOut, 1 << 16) : fileOut) {
                TenantObjects.copy(in, out, false);
            }
            Files.move(rewritten, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** mydumper's files that hold a DEFINER: routines and events, triggers, views. */
    private static final Pattern SCHEMA_OBJECTS = Pattern.compile("-schema-(post|triggers|view)\\.sql(\\.gz)?$");

    /** Downloads every stored file; answers what differs from the upload, or null when all arrived intact. */
    private String download(String prefix, List<StoredFile> files, Path dir) throws IOException {
        for (StoredFile file : files) {
            String sha = store.download(prefix + file.name(), JobPaths.inside(dir, file.name()));
            if (!sha.equals(file.sha256())) {
                return "The object " + file.name() + " in S3 is not what was uploaded (SHA-256 " + sha + ", uploaded "
                        + file.sha256() + ")";
            }
        }
        return null;
    }

    /** Restores one database of a mydumper dump into its scratch database; answers myloader's errors, or null. */
    private String myloader(Server server, Path dir, String db, String target, Duration timeout, Path work)
            throws InterruptedException {
        return restore(server, work, timeout, null, defaults -> List.of(config.myloader(), "--defaults-file=" + defaults,
                "--host", server.host(), "--port", Integer.toString(server.port()), "--user", server.user(),
                // "=" joins each name to its option: a database named --version stays a value
                "--directory=" + dir, "--source-db=" + db, "--database=" + target, "--overwrite-tables",
                "--threads", Integer.toString(config.threads()), "--verbose", "2"));
    }

    /** Restores a mysqldump file {@code <db>.sql.gz} into its scratch database with the client; its errors, or null. */
    private String client(Server server, Path dir, String db, String target, Duration timeout, Path work)
            throws InterruptedException {
        Path sql;
        try {
            sql = JobPaths.inside(dir, db + ".sql");
        } catch (DumpFailed e) {
            return e.getMessage();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(JobPaths.inside(dir, db + ".sql.gz")), 1 << 16);
                java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(sql), 1 << 16)) {
            TenantObjects.copy(in, out, true);
        } catch (IOException e) {
            return "its file could not be read: " + e.getMessage();
        }
        return restore(server, work, timeout, sql, defaults -> List.of(config.client(), "--defaults-file=" + defaults,
                "--host", server.host(), "--port", Integer.toString(server.port()), "--user", server.user(),
                "--batch", "--", target));
    }

    /** Runs a restore command (given the defaults file with the password); answers its errors, or null. */
    private String restore(Server server, Path work, Duration timeout, Path stdin,
            java.util.function.Function<Path, List<String>> commandWith) throws InterruptedException {
        Path log = work.resolve("restore.log");
        Path defaults = null;
        try {
            defaults = ToolProcess.writeDefaults(server.endpoint(), work, "verify.cnf");
            int exit = ToolProcess.run(commandWith.apply(defaults), log, stdin, timeout);
            if (exit == -1) {
                return "it did not finish within the verification's time limit and was stopped";
            }
            return exit == 0 ? null : "(exit " + exit + ") " + ToolProcess.errorsOf(log, ERROR_CHARS);
        } catch (IOException e) {
            return "it could not be run: " + e.getMessage();
        } finally {
            if (defaults != null) {
                try {
                    Files.deleteIfExists(defaults);
                } catch (IOException e) {
                    Log.warnf("could not remove %s: %s", defaults, e.getMessage());
                }
            }
        }
    }

    /** Per dumped table, in order: its row count, then its columns, restored against the dump and the source. */
    private static List<Verification.Check> compare(Connection connection, Map<String, String> scratch,
            SourceSnapshot source, List<DumpResult.TableRows> dumped) throws SQLException {
        Map<String, List<SourceJdbc.Column>> restored = new LinkedHashMap<>();
        Map<String, List<SourceJdbc.Column>> byScratch = SourceJdbc.columns(connection, scratch.values());
        scratch.forEach((db, name) -> byScratch.forEach((key, columns) -> {
            if (key.startsWith(name + ".")) {
                restored.put(db + key.substring(name.length()), columns);
            }
        }));
        List<Verification.Check> checks = new ArrayList<>();
        for (DumpResult.TableRows table : dumped) {
            String key = table.schema() + "." + table.table();
            List<SourceJdbc.Column> columns = restored.get(key);
            String rows = columns == null ? "missing from the restore"
                    : Long.toString(count(connection, scratch.get(table.schema()), table.table()));
            checks.add(Verification.Check.of("row_count", key, Long.toString(table.rows()), rows));
            List<SourceJdbc.Column> expected = source.columns().get(key);
            checks.add(Verification.Check.of("schema_match", key,
                    expected == null ? "not in the source's schema when the dump started" : describe(expected),
                    columns == null ? "missing from the restore" : describe(columns)));
        }
        return checks;
    }

    private static String describe(List<SourceJdbc.Column> columns) {
        return columns.stream().map(SourceJdbc.Column::toString).collect(Collectors.joining(", "));
    }

    private static long count(Connection connection, String db, String table) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from " + SourceJdbc.quote(db) + "." + SourceJdbc.quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Drops the scratch databases and the verification's account, whatever happened before; a failure is logged (the
     * names say what to remove).
     */
    private static void dropScratch(Server server, Iterable<String> names, String account) {
        try (Connection connection = connect(server)) {
            execute(connection, "drop user if exists '" + account + "'@'%'");
            for (String name : names) {
                execute(connection, "drop database if exists " + SourceJdbc.quote(name));
            }
        } catch (SQLException e) {
            Log.errorf("could not drop the verification's account %s and scratch databases %s on %s: %s", account, names,
                    server, e.getMessage());
        }
    }

    /**
     * Drops the scratch databases a verification of this backup may have left on any configured verification
     * server (its instance died while verifying). Answers how many were dropped; failures are logged.
     */
    public int dropLeftovers(UUID backupId) {
        int dropped = 0;
        for (String kind : List.of("mariadb", "mysql")) {
            Optional<Server> server = serverFor(kind);
            if (server.isEmpty()) {
                continue;
            }
            List<String> names = new ArrayList<>();
            try (Connection connection = connect(server.get()); Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery("show databases like 'rewind\\_verify\\_"
                            + backupId.toString().substring(0, 8) + "\\_%'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            } catch (SQLException e) {
                Log.warnf("could not look for scratch databases of backup %s on %s: %s", backupId, server.get(), e.getMessage());
                continue;
            }
            dropScratch(server.get(), names, accountName(backupId));
            dropped += names.size();
        }
        return dropped;
    }

    /** {@code rewind_verify_<first 8 of the backup id>_<db>}, at most 64 characters. */
    static String scratchName(UUID backupId, String db) {
        String name = "rewind_verify_" + backupId.toString().substring(0, 8) + "_" + db;
        if (name.length() <= 64) {
            return name;
        }
        String hash = Integer.toHexString(db.hashCode());
        return name.substring(0, 64 - hash.length() - 1) + "_" + hash;
    }

    private static Connection connect(Server server) throws SQLException {
        Connection connection = dev.rewind.source.SourceJdbc.connect(server.endpoint(), Duration.ofSeconds(15), Duration.ofMinutes(10));
        try {
            // the scratch databases are no business of a binlog reader (the verifier may be a streamed source)
            execute(connection, "set session sql_log_bin = 0");
        } catch (SQLException e) {
            Log.debugf("sql_log_bin cannot be turned off on %s: %s", server, e.getMessage());
        }
        return connection;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }
}
