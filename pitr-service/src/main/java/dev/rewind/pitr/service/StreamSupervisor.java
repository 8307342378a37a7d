package dev.rewind.pitr.service;

import dev.rewind.pitr.Server;
import dev.rewind.pitr.binlog.BinlogStreamer;
import dev.rewind.pitr.binlog.IngestBudget;
import dev.rewind.pitr.client.ServerRegistryClient;
import dev.rewind.source.SourceAddresses;
import dev.rewind.pitr.config.PitrConfig;
import dev.rewind.pitr.index.StreamStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link ServerStream} for every server this instance owns: started when its partition is assigned (or its
 * server.registered arrives), stopped when the partition is revoked or the server decommissioned. Each stream has
 * its own worker thread; the index and the checkpoints are shared through the database, so the next owner resumes
 * where this one stopped.
 */
@ApplicationScoped
public class StreamSupervisor {

    private static final Map<String, Integer> STATE_CODES = Map.of("stopped", 0, "onboarding", 1, "connecting", 2,
            "streaming", 3, "failed", 4);

    private final PitrConfig config;
    private final ServerRegistryClient registry;
    private final StreamStore store;
    private final OnboardingReporter reporter;
    private final GapService gaps;
    private final MeterRegistry meters;
    private final String instance;
    private final Map<UUID, ServerStream> streams = new ConcurrentHashMap<>();
    private final Map<UUID, List<Meter>> streamMeters = new ConcurrentHashMap<>();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final DistributionSummary batchRows;
    private final ExecutorService workers;
    private final IngestBudget ingestBudget;

    private final SourceAddresses addresses;

    @Inject
    public StreamSupervisor(PitrConfig config, ServerRegistryClient registry, StreamStore store, OnboardingReporter reporter,
            GapService gaps, MeterRegistry meters, SourceAddresses addresses) {
        this(config, registry, store, reporter, gaps, meters, addresses,
                config.instance().orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName()));
    }

    /** A supervisor with an explicit instance name (a second instance in one JVM, as the failover test runs). */
    public StreamSupervisor(PitrConfig config, ServerRegistryClient registry, StreamStore store, OnboardingReporter reporter,
            GapService gaps, MeterRegistry meters, SourceAddresses addresses, String instance) {
        this.addresses = addresses;
        this.config = config;
        this.registry = registry;
        this.store = store;
        this.reporter = reporter;
        this.gaps = gaps;
        this.meters = meters;
        this.instance = instance;
        this.batchRows = DistributionSummary.builder("rewind.pitr.batch.rows").description("Rows per index write")
                .register(meters);
        this.ingestBudget = new IngestBudget(config.stream().sharedBudget().asLongValue());
        Gauge.builder("rewind.pitr.ingest.budget.used.bytes", ingestBudget, IngestBudget::usedBytes)
                .description("Bytes of read rows waiting for the index, all streams").register(meters);
        Gauge.builder("rewind.pitr.ingest.budget.total.bytes", ingestBudget, IngestBudget::totalBytes)
                .description("Bytes read rows of all streams may hold before readers wait").register(meters);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pitr-server-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    PitrConfig config() {
        return config;
    }

    ServerRegistryClient registry() {
        return registry;
    }

    StreamStore store() {
        return store;
    }

    OnboardingReporter reporter() {
        return reporter;
    }

    GapService gaps() {
        return gaps;
    }

    public String instance() {
        return instance;
    }

    IngestBudget ingestBudget() {
        return ingestBudget;
    }

    BinlogStreamer.Settings streamSettings(long replicaServerId) {
        PitrConfig.Stream stream = config.stream();
        return new BinlogStreamer.Settings(replicaServerId, stream.queueCapacity(), stream.batchRows(), stream.chunkRows(),
                stream.chunkSize().asLongValue(), stream.budget().asLongValue(), stream.heartbeat(), stream.silenceLimit());
    }

    /** A server whose onboarded stream has been out of streaming past the readiness grace. */
    public record Unhealthy(UUID serverId, String name, String state, String error, long seconds) {
    }

    /** The owned, onboarded streams that have not been streaming for longer than the readiness grace. */
    public List<Unhealthy> unhealthy() {
        long grace = config.stream().readinessGrace().toMillis();
        List<Unhealthy> found = new ArrayList<>();
        for (ServerStream s : streams.values()) {
            long out = s.outOfStreamingMillis();
            if (out > grace) {
                found.add(new Unhealthy(s.id(), s.server().name, s.state(), s.error(), out / 1000));
            }
        }
        return found;
    }

    public int streamCount() {
        return streams.size();
    }

    void streamDied(UUID serverId) {
        meters.counter("rewind.pitr.stream.failures", "server", serverId.toString()).increment();
    }

    /** Partitions of rewind.servers assigned to this instance: stream their servers. */
    public void acquire(Collection<Integer> partitions, List<Server> servers) {
        owned.addAll(partitions);
        for (Server server : servers) {
            ensureRunning(server);
        }
    }

    /** Partitions taken away (rebalance, shutdown): stop their streams, the checkpoints stay for the next owner. */
    public void release(Collection<Integer> partitions) {
        owned.removeAll(partitions);
        List<ServerStream> leaving = new ArrayList<>();
        streams.values().forEach(s -> {
            if (partitions.contains(s.partition())) {
                leaving.add(s);
            }
        });
        leaving.parallelStream().forEach(s -> stop(s.id()));
    }

    public Set<Integer> ownedPartitions() {
        return Set.copyOf(owned);
    }

    /** A server event of an owned partition, after the projection applied it. */
    public void serverChanged(Server server, boolean connectionChanged) {
        if (server.decommissionedAt != null) {
            stop(server.id);
            store.status(server.id, "stopped", "decommissioned", instance);
            return;
        }
        ServerStream running = streams.get(server.id);
        if (running != null && connectionChanged) {
            Log.infof("connection of %s changed: onboarding again", server.id);
            stop(server.id);
            try {
                store.resetOnboarding(server.id);
            } catch (Exception e) {
                Log.warnf("cannot reset onboarding of %s: %s", server.id, e.getMessage());
            }
            ensureRunning(server);
        } else if (running != null) {
            running.update(server);
        } else {
            ensureRunning(server);
        }
    }

    /** Stops the stream of a server (the writer finishes what it read) and starts it again from its checkpoint. */
    public void restart(UUID serverId) {
        ServerStream running = streams.get(serverId);
        if (running != null) {
            Server server = running.server();
            stop(serverId);
            ensureRunning(server);
        }
    }

    public boolean streaming(UUID serverId) {
        ServerStream s = streams.get(serverId);
        return s != null && "streaming".equals(s.state());
    }

    public boolean running(UUID serverId) {
        return streams.containsKey(serverId);
    }

    private void ensureRunning(Server server) {
        if (!owned.contains(server.kafkaPartition) || server.decommissionedAt != null) {
            return;
        }
        streams.computeIfAbsent(server.id, id -> {
            ServerStream stream = new ServerStream(server, this);
            registerMeters(stream);
            workers.submit(() -> {
                try {
                    stream.run();
                } finally {
                    // a stream that ended on its own takes its meters along; one that was stopped lost them in stop(),
                    // and by now a new stream of the server (revoked, then assigned again) may have registered its own
                    if (streams.remove(id, stream)) {
                        removeMeters(id);
                    }
                }
            });
            return stream;
        });
    }

    public void stop(UUID serverId) {
        ServerStream stream = streams.remove(serverId);
        if (stream != null) {
            stream.stop();
            removeMeters(serverId);
        }
    }

    void recordBatch(UUID serverId, long rows, Instant lastCommit) {
        batchRows.record(rows);
        meters.counter("rewind.pitr.events.indexed", "server", serverId.toString()).increment(rows);
    }

    private void registerMeters(ServerStream stream) {
        String server = stream.id().toString();
        List<Meter> list = new ArrayList<>();
        list.add(Gauge.builder("rewind.pitr.stream.lag.seconds", stream, ServerStream::lagSeconds)
                .description("Seconds the index is behind the source").tag("server", server).register(meters));
        list.add(Gauge.builder("rewind.pitr.stream.state", stream, s -> STATE_CODES.getOrDefault(s.state(), -1))
                .description("0 stopped, 1 onboarding, 2 connecting, 3 streaming, 4 failed").tag("server", server).register(meters));
        list.add(Counter.builder("rewind.pitr.events.indexed").description("Row events written to the index")
                .tag("server", server).register(meters));
        list.add(Counter.builder("rewind.pitr.stream.failures").description("Times a live stream died and was restarted")
                .tag("server", server).register(meters));
        list.add(Gauge.builder("rewind.pitr.stream.queued.bytes", stream, ServerStream::queuedBytes)
                .description("Bytes of read rows waiting for the index").tag("server", server).register(meters));
        streamMeters.put(stream.id(), list);
    }

    private void removeMeters(UUID serverId) {
        List<Meter> list = streamMeters.remove(serverId);
        if (list != null) {
            list.forEach(meters::remove);
        }
    }

    @PreDestroy
    void shutdown() {
        new ArrayList<>(streams.keySet()).parallelStream().forEach(this::stop);
        workers.shutdownNow();
    }

    /** Where streams may connect ({@link SourceAddresses}). */
    SourceAddresses addresses() {
        return addresses;
    }
}
