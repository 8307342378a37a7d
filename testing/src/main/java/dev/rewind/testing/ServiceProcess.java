package dev.rewind.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A packaged service ({@code target/quarkus-app/quarkus-run.jar} of the module under test) run as an operating-system
 * process the way {@code ./rewind} runs it: the test JVM's environment (stack.env, exported by ./rewind test or
 * sourced before mvn), plus the given settings, on a free HTTP port of its own. Its output goes to
 * {@code target/it-logs/<name>.log}. For the failsafe ITs that kill, stop and restart instances.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts the module's packaged service as {@code name}, with {@code settings} on top of this JVM's environment. */
    public static ServiceProcess launch(String name, Map<String, String> settings, String maxHeap) {
        Path jar = Path.of(System.getProperty("rewind.it.service-jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the ITs run the packaged service (mvn verify packages it first)");
        }
        int port = freePort();
        try {
            Path logs = Files.createDirectories(Path.of(System.getProperty("rewind.it.logs", "target/it-logs")));
            Path log = logs.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(settings);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            return new ServiceProcess(name, port, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Waits (up to 120 s) until the service answers ready and {@code andAlso} holds; fails at once, with the log's
     * tail, when the process exits.
     */
    public void awaitReady(BooleanSupplier andAlso) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(status("/q/health/ready") == 200 && andAlso.getAsBoolean())) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within 120 s:\n" + tail());
            }
            sleep(500);
        }
    }

    public void awaitReady() {
        awaitReady(() -> true);
    }

    /** A request with a bearer token (and a JSON body when {@code json} is not null); the response. */
    public HttpResponse<String> send(String method, String path, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", "Bearer " + token);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of an unauthenticated GET (health, metrics); empty when the process does not answer. */
    public String get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The status of an unauthenticated GET; -1 when the process does not answer. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public String tail() {
        String all = log();
        return all.substring(Math.max(0, all.length() - 4000));
    }

    /** kill -9: no shutdown hook, no goodbye to any consumer group. Answers the exit status. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return exit();
    }

    /** SIGTERM: Quarkus shuts down in order. Answers the exit status (SIGKILL after 60 s). */
    public int terminate() throws InterruptedException {
        process.destroy();
        return exit();
    }

    private int exit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                terminate();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
