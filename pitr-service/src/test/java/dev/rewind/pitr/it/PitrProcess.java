package dev.rewind.pitr.it;

import dev.rewind.testing.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A packaged pitr-service process ({@link ServiceProcess}), named by its instance, with what the pitr ITs read off
 * it: the partitions of rewind.servers it holds and the state of its streams.
 */
final class PitrProcess implements AutoCloseable {

    private static final Pattern PARTITIONS = Pattern.compile("rewind\\.servers partitions (assigned|revoked): \\[([0-9, ]*)\\]");

    private final ServiceProcess process;

    private PitrProcess(ServiceProcess process) {
        this.process = process;
    }

    /** Starts an instance named {@code instance} with these settings; does not wait for it. */
    static PitrProcess launch(String instance, Map<String, String> settings) {
        return launch(instance, settings, "384m");
    }

    /** Starts an instance with this heap ({@code -Xmx}); the JVM exits on OutOfMemoryError, as deployed. */
    static PitrProcess launch(String instance, Map<String, String> settings, String maxHeap) {
        Map<String, String> env = new HashMap<>(settings);
        env.put("REWIND_PITR_INSTANCE", instance);
        return new PitrProcess(ServiceProcess.launch(instance, env, maxHeap));
    }

    String instance() {
        return process.name();
    }

    String url() {
        return process.url();
    }

    /** Waits until the process is ready (database and Kafka up) and holds partitions of rewind.servers. */
    void awaitReady() {
        process.awaitReady(() -> !assignedPartitions().isEmpty());
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
        Matcher m = gauge.matcher(process.get("/q/metrics"));
        return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
    }

    /** GET with a bearer token; the body. */
    String get(String path, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = process.send("GET", path, token, null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The process's Prometheus metrics; empty when it does not answer. */
    String metrics() {
        return process.get("/q/metrics");
    }

    boolean alive() {
        return process.alive();
    }

    /** kill -9: no shutdown hook, no goodbye to the consumer group, no last index write. Answers the exit status. */
    int kill() throws InterruptedException {
        return process.kill();
    }

    /** SIGTERM: Quarkus shuts down (the consumer leaves the group, the streams' writers finish). Answers the exit status. */
    int terminate() throws InterruptedException {
        return process.terminate();
    }

    String log() {
        return process.log();
    }

    String tail() {
        return process.tail();
    }

    @Override
    public void close() {
        process.close();
    }
}
