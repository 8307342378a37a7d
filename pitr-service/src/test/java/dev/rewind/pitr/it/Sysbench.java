package dev.rewind.pitr.it;

import static org.awaitility.Awaitility.await;

import dev.rewind.pitr.support.Sources;
import dev.rewind.testing.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * sysbench's {@code oltp_write_only} (installed by {@code ./rewind}) on a test schema of a local-stack source: each
 * transaction updates an indexed and a non-indexed column of one row and deletes and re-inserts another.
 */
final class Sysbench {

    private final Sources source;
    private final String schema;
    private final int tables;
    private final int tableSize;

    Sysbench(Sources source, String schema, int tables, int tableSize) {
        this.source = source;
        this.schema = schema;
        this.tables = tables;
        this.tableSize = tableSize;
    }

    /** Creates and fills {@code sbtest1..N}. */
    void prepare() throws IOException, InterruptedException {
        Process p = process("prepare").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("sysbench prepare failed:\n" + output);
        }
    }

    /** Starts the load at {@code rate} transactions per second; it runs until stopped (at most 10 minutes). */
    Process run(int threads, int rate) throws IOException {
        Path logs = Path.of(System.getProperty("rewind.it.logs", "target/it-logs"));
        Files.createDirectories(logs);
        return process("run", "--threads=" + threads, "--rate=" + rate, "--time=600", "--report-interval=5")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("sysbench-" + schema + ".log").toFile()))
                .start();
    }

    private ProcessBuilder process(String command, String... options) {
        List<String> args = new ArrayList<>(List.of("sysbench", "oltp_write_only", "--db-driver=mysql",
                "--mysql-host=" + source.host(), "--mysql-port=" + source.port(), "--mysql-user=root",
                "--mysql-password=" + LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"), "--mysql-db=" + schema,
                "--tables=" + tables, "--table-size=" + tableSize));
        args.addAll(List.of(options));
        args.add(command);
        return new ProcessBuilder(args);
    }

    /** Stops a running load and waits until the source has closed its sessions (no commit still in flight). */
    void stop(Process load) throws Exception {
        load.destroy();
        if (!load.waitFor(30, TimeUnit.SECONDS)) {
            load.destroyForcibly().waitFor();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sessions() == 0);
    }

    private long sessions() throws Exception {
        try (var c = source.root(); var ps = c.prepareStatement("select count(*) from information_schema.processlist where db = ?")) {
            ps.setString(1, schema);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void requireInstalled() {
        try {
            Process p = new ProcessBuilder("sysbench", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("sysbench --version failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sysbench is not installed (./rewind installs it from apt)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
