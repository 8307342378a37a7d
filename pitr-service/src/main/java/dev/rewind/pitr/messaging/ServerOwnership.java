package dev.rewind.pitr.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rewind.commons.messaging.CloudEvent;
import dev.rewind.commons.work.Blocking;
import dev.rewind.pitr.Server;
import dev.rewind.pitr.config.PitrConfig;
import dev.rewind.pitr.service.ServerProjectionService;
import dev.rewind.pitr.service.StreamSupervisor;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which servers this instance streams: it consumes rewind.servers in one consumer group shared by every replica,
 * and the servers whose partitions it holds are its own. Each record updates the server projection; an assignment
 * starts the streams of the partition's servers, a revocation stops them (the next owner resumes from the
 * checkpoints). A plain KafkaConsumer on its own thread, so rebalance callbacks can stop streams synchronously.
 */
@ApplicationScoped
public class ServerOwnership {

    private final PitrConfig config;
    private final ServerProjectionService projection;
    private final StreamSupervisor supervisor;
    private final String bootstrapServers;
    private final ObjectMapper json;
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile boolean ready;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public ServerOwnership(PitrConfig config, ServerProjectionService projection, StreamSupervisor supervisor,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.projection = projection;
        this.supervisor = supervisor;
        this.bootstrapServers = bootstrapServers;
        this.json = new ObjectMapper().registerModule(new JavaTimeModule())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.ownership().enabled()) {
            Log.info("server ownership is disabled: this instance streams nothing");
            return;
        }
        start();
    }

    /** Joins the group: partitions assigned to this instance start their servers' streams. */
    public void start() {
        running = true;
        thread = new Thread(this::loop, "pitr-ownership");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Leaves the group: its partitions (and servers) move to the other replicas. */
    public void stop() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Partitions held now; ready once the first assignment is in place (positions fixed). */
    public Set<Integer> assignedPartitions() {
        return ready ? Set.copyOf(assigned) : Set.of();
    }

    private void loop() {
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
                consumer = c;
                c.subscribe(List.of(config.ownership().topic()), new Rebalance(c));
                while (running) {
                    ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<String, String> record : records) {
                        handle(record);
                    }
                    if (!records.isEmpty()) {
                        c.commitSync();
                    }
                }
            } catch (WakeupException e) {
                // stopping
            } catch (Exception e) {
                Log.warnf("server ownership consumer failed, rejoining in 2 s: %s", e.getMessage());
                sleep(2000);
            } finally {
                consumer = null;
                supervisor.release(Set.copyOf(assigned));
                assigned.clear();
                ready = false;
            }
        }
    }

    private void handle(ConsumerRecord<String, String> record) {
        CloudEvent event;
        ServerEventPayload payload;
        try {
            event = CloudEvent.from(record);
            payload = json.readValue(record.value(), ServerEventPayload.class);
            if (payload.serverId() == null) {
                throw new IllegalArgumentException("no server_id");
            }
        } catch (Exception e) {
            Log.warnf("skipping malformed record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        String type = event.shortType();
        if (!Set.of(ServerProjectionService.REGISTERED, ServerProjectionService.UPDATED, ServerProjectionService.DECOMMISSIONED)
                .contains(type)) {
            return;
        }
        OffsetDateTime time = event.time() == null ? OffsetDateTime.now(ZoneOffset.UTC) : event.time();
        Server server = applyWithRetry(type, payload, record.partition(), time);
        if (server != null) {
            supervisor.serverChanged(server, Boolean.TRUE.equals(payload.connectionChanged()));
        }
    }

    private Server applyWithRetry(String type, ServerEventPayload payload, int partition, OffsetDateTime time) {
        long backoff = 200;
        while (running) {
            try {
                return Blocking.await(() -> projection.apply(type, payload, partition, time));
            } catch (RuntimeException e) {
                Log.warnf("cannot apply %s of %s, retrying in %d ms: %s", type, payload.serverId(), backoff, e.getMessage());
                sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
        return null;
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, String> consumer;

        Rebalance(KafkaConsumer<String, String> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<Integer> numbers = partitions.stream().map(TopicPartition::partition).toList();
            Log.infof("rewind.servers partitions revoked: %s", numbers);
            supervisor.release(numbers);
            assigned.removeAll(numbers);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            List<Integer> numbers = partitions.stream().map(TopicPartition::partition).toList();
            Log.infof("rewind.servers partitions assigned: %s", numbers);
            // fix the start positions now, so records produced from here on are never skipped by a lazy "latest"
            partitions.forEach(consumer::position);
            assigned.addAll(numbers);
            List<Server> servers = List.of();
            try {
                servers = Blocking.await(() -> projection.active(numbers));
            } catch (RuntimeException e) {
                Log.warnf("cannot list the servers of partitions %s: %s", numbers, e.getMessage());
            }
            supervisor.acquire(numbers, servers);
            ready = true;
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.ownership().group());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, supervisor.instance() + "-ownership");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.ownership().autoOffsetReset());
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        props.putAll(dev.rewind.commons.messaging.KafkaSecurity.settings(org.eclipse.microprofile.config.ConfigProvider.getConfig()));
        return props;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
