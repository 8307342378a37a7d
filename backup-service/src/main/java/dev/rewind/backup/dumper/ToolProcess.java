package dev.rewind.backup.dumper;

import dev.rewind.source.SourceEndpoint;
import dev.rewind.source.SourceTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Running the MySQL tools (mydumper, myloader, mysqldump, the client) as subprocesses: the password in a 0600 defaults
 * file, never on the command line; an environment that holds nothing of the service's own (no S3 keys, no client
 * secrets, no database passwords); the output in a log file; a time limit; the tool's own error lines for the user.
 * Blocking: call it on a worker thread.
 */
public final class ToolProcess {

    private ToolProcess() {
    }

    /** What a tool's environment keeps of the service's (the rest, secrets included, is not passed on). */
    static final List<String> KEPT_ENVIRONMENT = List.of("PATH", "LANG", "LC_ALL");

    /**
     * Writes {@code [client] password=…} to a new 0600 file {@code name} in {@code scratch}, with LOAD DATA LOCAL
     * turned off for every tool that reads it ({@code loose-}: a tool without the option ignores it).
     *
     * @throws IllegalArgumentException when the password holds a line break or NUL, which would end the value and
     *                                  let the rest be read as further options
     */
    public static Path writeDefaults(String password, Path scratch, String name) throws IOException {
        return writeDefaults(SourceEndpoint.of("", 0, "", password, SourceTls.DISABLED), scratch, name);
    }

    /**
     * As {@link #writeDefaults(String, Path, String)}, with the endpoint's TLS settings ({@link SourceTls#optionLines}):
     * its CA certificates, if any, go to {@code <name>.ca.pem} beside the file.
     */
    public static Path writeDefaults(SourceEndpoint endpoint, Path scratch, String name) throws IOException {
        String value = endpoint.password();
        if (!optionFileSafe(value)) {
            throw new IllegalArgumentException("The password holds a line break or NUL character, which an option file cannot carry");
        }
        Path defaults = scratch.resolve(name);
        Files.deleteIfExists(defaults);
        Files.createFile(defaults, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        // option files take a quoted value; backslash and quote are escaped
        String quoted = "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Path ca = scratch.resolve(name + ".ca.pem");
        endpoint.tls().writeCa(ca);
        Files.writeString(defaults, "[client]\npassword=" + quoted + "\nloose-local-infile=0\n" + endpoint.tls().optionLines(ca),
                StandardCharsets.UTF_8);
        return defaults;
    }

    /** True when the value can be written to an option file or passed as one argument: no CR, LF or NUL. */
    public static boolean optionFileSafe(String value) {
        return value.indexOf('\n') < 0 && value.indexOf('\r') < 0 && value.indexOf('\0') < 0;
    }

    /**
     * Runs the command with its output (both streams) into {@code log}, its input from {@code stdin} when given.
     * Answers the exit code, or -1 when it did not finish within {@code timeout} (it is then killed).
     */
    public static int run(List<String> command, Path log, Path stdin, Duration timeout) throws IOException, InterruptedException {
        for (String argument : command) {
            if (!optionFileSafe(argument)) {
                throw new IllegalArgumentException("An argument for " + command.get(0) + " holds a line break or NUL character");
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        confine(builder.environment(), log.toAbsolutePath().getParent());
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

    /**
     * Clears the environment down to {@link #KEPT_ENVIRONMENT}, with HOME and TMPDIR in the job's own folder (so no
     * {@code ~/.my.cnf} of the service's user is read, and temporary files go where the job's cleanup removes them).
     */
    static void confine(java.util.Map<String, String> environment, Path folder) {
        java.util.Map<String, String> kept = new java.util.HashMap<>();
        for (String name : KEPT_ENVIRONMENT) {
            String value = environment.get(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        environment.clear();
        environment.putAll(kept);
        environment.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        environment.put("HOME", folder.toString());
        environment.put("TMPDIR", folder.toString());
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
