package dev.rewind.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The local stack the tests run against, driven through the project's own {@code ./rewind} script. */
public final class LocalStack {

    private LocalStack() {
    }

    /** The repository root: the nearest folder up from the working directory that holds the rewind script. */
    public static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("rewind"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no rewind script above " + System.getProperty("user.dir"));
        }
        return dir;
    }

    /** A setting of the local stack (deploy/local/stack.env is exported by ./rewind test). */
    public static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the tests with ./rewind test (it exports deploy/local/stack.env)");
        }
        return value;
    }

    public static void stop(String part) {
        rewind("stop", part);
    }

    public static void start(String part) {
        rewind("start", part);
    }

    /** Runs {@code ./rewind ARGS}, failing with its output when it fails. */
    public static String rewind(String... args) {
        List<String> command = new ArrayList<>();
        command.add(repoRoot().resolve("rewind").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(repoRoot().toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 5 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
