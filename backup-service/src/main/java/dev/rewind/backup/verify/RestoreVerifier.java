package dev.rewind.backup.verify;

import dev.rewind.backup.config.BackupConfig;
import dev.rewind.backup.dumper.DumpResult;
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
 * The scratch databases are always dropped afterwards. Blocking: call it on a worker thread.
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

    record Server(String host, int port, String user, String password) {

        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

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
                    target.password().orElse(""));
        });
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
        try {
            try (Connection connection = connect(server)) {
                for (String name : scratch.values()) {
                    execute(connection, "drop database if exists " + SourceJdbc.quote(name));
                    execute(connection, "create database " + SourceJdbc.quote(name));
                }
            } catch (SQLException e) {
                return Verification.error("The " + label + " verification server " + server + " could not be used: "
                        + e.getMessage());
            }
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> db : scratch.entrySet()) {
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                boolean mysqldump = "mysqldump".equals(tool);
                String failure = mysqldump ? client(server, dir, db.getKey(), db.getValue(), left, work)
                        : myloader(server, dir, db.getKey(), db.getValue(), left, work);
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
            dropScratch(server, scratch.values());
        }
    }

    /** Downloads every stored file; answers what differs from the upload, or null when all arrived intact. */
    private String download(String prefix, List<StoredFile> files, Path dir) throws IOException {
        for (StoredFile file : files) {
            String sha = store.download(prefix + file.name(), dir.resolve(file.name()));
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
                "--directory", dir.toString(), "--source-db", db, "--database", target, "--overwrite-tables",
                "--threads", Integer.toString(config.threads()), "--verbose", "2"));
    }

    /** Restores a mysqldump file {@code <db>.sql.gz} into its scratch database with the client; its errors, or null. */
    private String client(Server server, Path dir, String db, String target, Duration timeout, Path work)
            throws InterruptedException {
        Path sql = dir.resolve(db + ".sql");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(db + ".sql.gz")), 1 << 16)) {
            Files.copy(in, sql, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            return "its file could not be read: " + e.getMessage();
        }
        // the restore stays out of the binlog, like myloader's (needs SUPER or BINLOG ADMIN on the verifier)
        return restore(server, work, timeout, sql, defaults -> List.of(config.client(), "--defaults-file=" + defaults,
                "--host", server.host(), "--port", Integer.toString(server.port()), "--user", server.user(),
                "--init-command=SET SESSION sql_log_bin=0", "--batch", target));
    }

    /** Runs a restore command (given the defaults file with the password); answers its errors, or null. */
    private String restore(Server server, Path work, Duration timeout, Path stdin,
            java.util.function.Function<Path, List<String>> commandWith) throws InterruptedException {
        Path log = work.resolve("restore.log");
        Path defaults = null;
        try {
            defaults = ToolProcess.writeDefaults(server.password(), work, "verify.cnf");
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

    /** Drops the scratch databases, whatever happened before; a failure is logged (the name says what to remove). */
    private static void dropScratch(Server server, Iterable<String> names) {
        try (Connection connection = connect(server)) {
            for (String name : names) {
                execute(connection, "drop database if exists " + SourceJdbc.quote(name));
            }
        } catch (SQLException e) {
            Log.errorf("could not drop the verification's scratch databases %s on %s: %s", names, server, e.getMessage());
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
            if (!names.isEmpty()) {
                dropScratch(server.get(), names);
                dropped += names.size();
            }
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
        Connection connection = SourceJdbc.connect(server.host(), server.port(), server.user(), server.password(),
                Duration.ofMinutes(10));
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
