package dev.rewind.backup.dumper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Running the MySQL tools (mydumper, myloader, mysqldump) as subprocesses: the password in a 0600 defaults file,
 * never on the command line; the output in a log file; a time limit; the tool's own error lines for the user.
 * Blocking: call it on a worker thread.
 */
public final class ToolProcess {

    private ToolProcess() {
    }

    /** Writes {@code [client] password=…} to a new 0600 file {@code name} in {@code scratch}. */
    public static Path writeDefaults(String password, Path scratch, String name) throws IOException {
        Path defaults = scratch.resolve(name);
        Files.deleteIfExists(defaults);
        Files.createFile(defaults, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String value = password == null ? "" : password;
        // option files take a quoted value; backslash and quote are escaped
        String quoted = "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Files.writeString(defaults, "[client]\npassword=" + quoted + "\n", StandardCharsets.UTF_8);
        return defaults;
    }

    /**
     * Runs the command with its output (both streams) into {@code log}, its input from {@code stdin} when given.
     * Answers the exit code, or -1 when it did not finish within {@code timeout} (it is then killed).
     */
    public static int run(List<String> command, Path log, Path stdin, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        try {
            if (!process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return -1;
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
        return process.exitValue();
    }

    /** The tool's CRITICAL/error lines without log decoration, or the tail of its output, at most {@code maxChars}. */
    public static String errorsOf(Path log, int maxChars) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(its output could not be read: " + e.getMessage() + ")";
        }
        List<String> errors = lines.stream()
                .filter(l -> l.contains("CRITICAL") || l.contains("ERROR") || l.contains("error"))
                .map(l -> l.replaceFirst("^\\*\\* \\([a-z]+:\\d+\\): [A-Z]+ \\*\\*: [0-9:.]+: ", ""))
                .toList();
        String text = String.join("\n", errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - 10), lines.size()) : errors)
                .strip();
        if (text.isEmpty()) {
            text = "(no output)";
        }
        return text.length() > maxChars ? text.substring(0, maxChars) + "…" : text;
    }
}
