package dev.rewind.backup.dumper;

import dev.rewind.source.RegisteredSource;
import dev.rewind.backup.config.BackupConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs mysqldump (Debian's mariadb-client: {@code mysqldump} = {@code mariadb-dump} 10.11) as a subprocess, one
 * plain SQL file {@code <db>.sql} per database, each in its own consistent snapshot ({@code --single-transaction})
 * with the binlog coordinates in its header ({@code --master-data=2}, plus {@code --gtid} on MariaDB). Such a
 * backup restores with the mysql/mariadb client into any database; it is not a PITR baseline (the PITR engine
 * reads mydumper dumps, and with several databases each file has its own snapshot). Blocking: call it on a worker
 * thread. The password goes through a 0600 defaults file, never the command line.
 */
@ApplicationScoped
public class Mysqldump {

    private static final Pattern POSITION = Pattern.compile(
            "^-- CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\\d+);");
    private static final Pattern MARIADB_GTID = Pattern.compile("^-- SET GLOBAL gtid_slave_pos='([^']*)';");
    /** How many lines of a file's header are read for its binlog coordinates (the GTID comes after the data). */
    private static final int HEADER_LINES = 60;

    private final BackupConfig.Dumper config;

    public Mysqldump(BackupConfig config) {
        this.config = config.dumper();
    }

    /**
     * Dumps each of {@code schemas} of the server into {@code outputDir/<db>.sql}.
     *
     * @param kind    {@code mariadb} or {@code mysql} (GTID of the snapshot only on MariaDB)
     * @param scratch a private folder for the defaults file and the tool's log (not uploaded)
     * @throws DumpFailed with the tool's own error lines when it fails or times out
     */
    public DumpResult dump(RegisteredSource server, String kind, List<String> schemas, Path outputDir, Path scratch)
            throws IOException, InterruptedException {
        if (schemas.isEmpty()) {
            throw new DumpFailed("There is nothing to dump: the server has none of the schemas asked for");
        }
        Files.createDirectories(outputDir);
        Path defaults = ToolProcess.writeDefaults(server.endpoint(), scratch, "client.cnf");
        List<Path> files = new ArrayList<>();
        long deadline = System.nanoTime() + config.timeout().toNanos();
        try {
            for (String schema : schemas) {
                Path file = JobPaths.inside(outputDir, schema + ".sql");
                Path log = JobPaths.inside(scratch, "mysqldump-" + schema + ".log");
                List<String> command = command(server, kind, schema, file, defaults);
                Log.infof("backup of %s: %s", server, String.join(" ", command));
                int exit = ToolProcess.run(command, log, null, java.time.Duration.ofNanos(deadline - System.nanoTime()));
                if (exit == -1) {
                    throw new DumpFailed("mysqldump did not finish within " + config.timeout() + " and was stopped");
                }
                if (exit != 0) {
                    throw new DumpFailed("mysqldump failed on " + schema + " (exit " + exit + "): "
                            + ToolProcess.errorsOf(log, config.errorChars()));
                }
                files.add(file);
            }
        } finally {
            Files.deleteIfExists(defaults);
        }
        return new DumpResult(outputDir, files, binlogOf(files.get(0), kind), List.of());
    }

    List<String> command(RegisteredSource server, String kind, String schema, Path file, Path defaults) {
        List<String> command = new ArrayList<>(List.of(config.mysqldump(),
                "--defaults-file=" + defaults, // must come first
                "--host", server.endpoint().toolHost(), "--port", Integer.toString(server.port()), "--user", server.username(),
                "--single-transaction", "--master-data=2", "--routines", "--triggers", "--events",
                "--result-file=" + file));
        if ("mariadb".equals(kind)) {
            command.add("--gtid");
        }
        // without --databases: no CREATE DATABASE/USE, so the file restores into any database; after "--", a name
        // such as --version is the database, not an option
        command.add("--");
        command.add(schema);
        return command;
    }

    /** The binlog file/position from the file's header and, on MariaDB, the GTID position written at its end. */
    static BinlogPosition binlogOf(Path file, String kind) throws IOException {
        String logFile = null;
        Long position = null;
        String gtid = null;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null && n++ < HEADER_LINES && logFile == null) {
                Matcher m = POSITION.matcher(line);
                if (m.find()) {
                    logFile = m.group(1);
                    position = Long.valueOf(m.group(2));
                }
            }
        }
        if ("mariadb".equals(kind)) {
            List<String> tail = tail(file, 64 * 1024);
            for (String line : tail) {
                Matcher m = MARIADB_GTID.matcher(line);
                if (m.find() && !m.group(1).isEmpty()) {
                    gtid = m.group(1);
                }
            }
        }
        return new BinlogPosition(logFile, position, gtid);
    }

    private static List<String> tail(Path file, int bytes) throws IOException {
        try (var channel = Files.newByteChannel(file)) {
            long size = channel.size();
            channel.position(Math.max(0, size - bytes));
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(size, bytes));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read the tail
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1).lines().toList();
        }
    }
}
