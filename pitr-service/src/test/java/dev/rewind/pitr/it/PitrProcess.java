package dev.rewind.pitr.it;

import static org.awaitility.Awaitility.await;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged pitr-service ({@code target/quarkus-app/quarkus-run.jar}) run as an operating-system process, the way
 * {@code ./rewind} runs it (stack.env in its environment, its own HTTP port). Its output goes to
 * {@code target/it-logs/<instance>.log}.
 */
final class PitrProcess implements AutoCloseable {

    private static final Pattern PARTITIONS = Pattern.compile("rewind\\.servers partitions (assigned|revoked): \\[([0-9, ]*)\\]");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String instance;
    private final int port;
    private final Path log;
    private final Process process;

    private PitrProcess(String instance, int port, Path log, Process process) {
        this.instance = instance;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts an instance named {@code instance} with these settings on top of the test JVM's environment (stack.env,
     * exported by ./rewind test or sourced before mvn) and its own free HTTP port; does not wait for it.
     */
    static PitrProcess launch(String instance, Map<String, String> settings) {
        Path jar = Path.of(System.getProperty("rewind.it.service-jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the ITs run the packaged service (mvn verify packages it first)");
        }
        Path logs = Path.of(System.getProperty("rewind.it.logs", "target/it-logs"));
        int port = freePort();
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(instance + ".log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-jar", jar.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(settings);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().put("REWIND_PITR_INSTANCE", instance);
            return new PitrProcess(instance, port, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String instance() {
        return instance;
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until the process is ready (database and Kafka up) and holds partitions of rewind.servers. */
    void awaitReady() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(instance + " exited with " + process.exitValue() + ":\n" + tail());
            }
            return status("/q/health/ready") == 200 && !assignedPartitions().isEmpty();
        });
    }

    /** The partitions of rewind.servers this process holds now, as its log says (assignments and revocations in order). */
    Set<Integer> assignedPartitions() {
        Set<Integer> held = new TreeSet<>();
        Matcher m = PARTITIONS.matcher(log());
        while (m.find()) {
            List<Integer> numbers = new ArrayList<>();
            for (String n : m.group(2).split(",")) {
                if (!n.isBlank()) {
                    numbers.add(Integer.parseInt(n.trim()));
                }
            }
            if (m.group(1).equals("assigned")) {
                held.addAll(numbers);
            } else {
                held.removeAll(numbers);
            }
        }
        return held;
    }

    /** Whether this process streams the server now: its {@code rewind_pitr_stream_state} gauge is 3 (streaming). */
    boolean streaming(UUID server) {
        return streamState(server) == 3;
    }

    /** Whether this process runs a stream of the server (onboarding, connecting, streaming or failed). */
    boolean runs(UUID server) {
        return streamState(server) >= 0;
    }

    /** The {@code rewind_pitr_stream_state} gauge of the server on this process; -1 when it runs no stream of it. */
    private int streamState(UUID server) {
        Pattern gauge = Pattern.compile("rewind_pitr_stream_state\\{[^}]*server=\"" + server + "\"[^}]*\\} ([0-9.]+)");
        try {
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = gauge.matcher(metrics.body());
            return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** GET with a bearer token; the body. */
    String get(String path, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hook, no goodbye to the consumer group, no last index write. Answers the exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        return exit();
    }

    /** SIGTERM: Quarkus shuts down (the consumer leaves the group, the streams' writers finish). Answers the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        return exit();
    }

    private int exit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    String tail() {
        String all = log();
        return all.substring(Math.max(0, all.length() - 4000));
    }

    private int status(String path) {
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

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
