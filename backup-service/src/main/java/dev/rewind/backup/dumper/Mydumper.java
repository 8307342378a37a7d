package dev.rewind.backup.dumper;

import dev.rewind.source.RegisteredSource;
import dev.rewind.backup.config.BackupConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs mydumper (Debian's 0.10.x) as a subprocess: consistent snapshot, one folder per backup, plain SQL (the
 * service compresses while it uploads, see DumpShipper).
 * Blocking: call it on a worker thread. The password goes through a 0600 defaults file, never the command line.
 */
@ApplicationScoped
public class Mydumper {

    /** Schema names the service accepts (and so can pass to mydumper's regex safely). */
    public static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}");

    static final String SYSTEM_SCHEMAS = "mysql|sys|information_schema|performance_schema";

    private final BackupConfig.Dumper config;

    public Mydumper(BackupConfig config) {
        this.config = config.dumper();
    }

    /**
     * Dumps {@code databases} (every user schema when empty) of the server into {@code outputDir}.
     *
     * @param scratch a private folder for the defaults file and the tool's log (not uploaded)
     * @throws DumpFailed with the tool's own error lines when it fails or times out
     */
    public DumpResult dump(RegisteredSource server, List<String> databases, Path outputDir, Path scratch)
            throws IOException, InterruptedException {
        Path defaults = ToolProcess.writeDefaults(server.endpoint(), scratch, "client.cnf");
        Path log = scratch.resolve("mydumper.log");
        List<String> command = command(server, databases, outputDir, defaults);
        Log.infof("backup of %s: %s", server, String.join(" ", command));
        int exit;
        try {
            exit = ToolProcess.run(command, log, null, config.timeout());
        } finally {
            Files.deleteIfExists(defaults);
        }
        if (exit == -1) {
            throw new DumpFailed("mydumper did not finish within " + config.timeout() + " and was stopped");
        }
        if (exit != 0) {
            throw new DumpFailed("mydumper failed (exit " + exit + "): " + errorOf(log));
        }
        Path metadata = outputDir.resolve("metadata");
        if (!Files.isRegularFile(metadata)) {
            throw new DumpFailed("mydumper finished but wrote no metadata file: " + errorOf(log));
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(outputDir)) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        }
        return new DumpResult(outputDir, files, BinlogPosition.fromMetadata(metadata), List.of());
    }

    /**
     * Refuses a dump that would lose data: mydumper 0.10 reads a table with {@code SELECT *} unless it has a generated
     * column, and {@code SELECT *} leaves INVISIBLE columns out, so their values would be missing from the backup
     * (a restore gives them their default). It names the tables and columns and what to do instead.
     *
     * @throws DumpFailed when a table to dump has an invisible column and no generated one
     */
    public static void refuseLossyTables(SourceSnapshot source) {
        List<String> lossy = new ArrayList<>();
        source.columns().forEach((table, columns) -> {
            if (columns.stream().noneMatch(SourceJdbc.Column::generated)) {
                List<String> invisible = columns.stream().filter(SourceJdbc.Column::invisible).map(SourceJdbc.Column::name).toList();
                if (!invisible.isEmpty()) {
                    lossy.add(table + " (" + String.join(", ", invisible) + ")");
                }
            }
        });
        if (!lossy.isEmpty()) {
            throw new DumpFailed("mydumper would leave out the values of INVISIBLE columns of " + String.join("; ", lossy)
                    + " (it reads these tables with SELECT *): make the columns VISIBLE, or back up with backup_tool mysqldump");
        }
    }

    List<String> command(RegisteredSource server, List<String> databases, Path outputDir, Path defaults) {
        List<String> command = new ArrayList<>(List.of(config.mydumper(),
                "--defaults-file=" + defaults, // must come first: mydumper reads it before the other options
                "--host", server.endpoint().toolHost(), "--port", Integer.toString(server.port()), "--user", server.username(),
                "--outputdir", outputDir.toString(), "--threads", Integer.toString(config.threads()),
                "--triggers", "--events", "--routines", "--verbose", "2"));
        if (databases.size() == 1) {
            command.addAll(List.of("--database", databases.get(0)));
        } else if (!databases.isEmpty()) {
            command.addAll(List.of("--regex", "^(" + String.join("|", databases) + ")\\."));
        } else {
            command.addAll(List.of("--regex", "^(?!(" + SYSTEM_SCHEMAS + ")\\.)"));
        }
        return command;
    }

    private String errorOf(Path log) {
        return ToolProcess.errorsOf(log, config.errorChars());
    }
}
