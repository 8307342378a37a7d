package dev.rewind.commons.outbox;

import static dev.rewind.commons.messaging.CloudEventHeaders.*;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes the outbox to Kafka as CloudEvents 1.0 in binary mode, keyed by the entity id.
 *
 * <p>At-least-once: a row is deleted only after Kafka acknowledged it, so an outage delays events and loses none.
 * Order per key is kept: one relay at a time per database (a transaction-scoped advisory lock, so several
 * replicas never interleave), rows go out in id order through an idempotent producer, and after a failure only
 * the acknowledged prefix of the round is deleted — the rest is sent again next round, never overtaken.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Advisory lock id shared by every replica of a service (each service has its own database). */
    private static final long RELAY_LOCK = 0x5245_5749_4e44_4f42L;

    private static final String SELECT_PENDING = """
            select id, event_id, topic, record_key, event_type, source, subject, tenant, payload, occurred_at
              from outbox_event order by id limit $1""";

    private final Pool pool;
    private final OutboxConfig config;
    private final String bootstrapServers;
    private final String clientId;
    private volatile Producer<String, String> producer;

    public OutboxRelay(Pool pool, OutboxConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.pool = pool;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.clientId = applicationName + "-outbox";
    }

    @Scheduled(every = "${rewind.outbox.poll-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        return relayOnce()
                .onFailure().invoke(e -> Log.warnf("outbox relay round failed, retrying next round: %s", e.getMessage()))
                .onFailure().recoverWithItem(0)
                .replaceWithVoid();
    }

    /** One relay round; the number of events published (0 when another replica holds the relay). */
    public Uni<Integer> relayOnce() {
        return pool.withTransaction(connection -> connection
                .preparedQuery("select pg_try_advisory_xact_lock($1)").execute(Tuple.of(RELAY_LOCK))
                .map(rows -> rows.iterator().next().getBoolean(0))
                .chain(locked -> locked ? publishPending(connection) : Uni.createFrom().item(0)));
    }

    private Uni<Integer> publishPending(SqlConnection connection) {
        return connection.preparedQuery(SELECT_PENDING).execute(Tuple.of(config.batchSize()))
                .map(rows -> {
                    List<Row> pending = new ArrayList<>();
                    rows.forEach(pending::add);
                    return pending;
                })
                .chain(pending -> pending.isEmpty()
                        ? Uni.createFrom().item(0)
                        : send(pending).chain(sent -> delete(connection, sent)));
    }

    /** Sends every row; answers the ids of the longest acknowledged prefix, in order. */
    private Uni<List<Long>> send(List<Row> pending) {
        return Uni.createFrom().item(pending)
                // KafkaProducer.send blocks while it has no metadata (broker down): keep it off the event loop
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .chain(rows -> {
                    List<CompletableFuture<Void>> acks = new ArrayList<>();
                    for (Row row : rows) {
                        CompletableFuture<Void> ack = sendOne(row);
                        acks.add(ack);
                        if (ack.isCompletedExceptionally()) {
                            break; // no metadata (broker unreachable): the rest would only wait the same way
                        }
                    }
                    CompletableFuture<Void> settled = CompletableFuture
                            .allOf(acks.stream().map(f -> f.exceptionally(e -> null)).toArray(CompletableFuture[]::new));
                    return Uni.createFrom().completionStage(settled).map(ignored -> acknowledgedPrefix(rows, acks));
                });
    }

    private static List<Long> acknowledgedPrefix(List<Row> rows, List<CompletableFuture<Void>> acks) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < acks.size() && !acks.get(i).isCompletedExceptionally(); i++) {
            ids.add(rows.get(i).getLong("id"));
        }
        if (ids.size() < rows.size()) {
            Throwable cause = ids.size() < acks.size() ? acks.get(ids.size()).handle((ok, e) -> e).join() : null;
            Log.warnf("outbox: %d of %d events not acknowledged (%s); they are sent again, in order, next round",
                    rows.size() - ids.size(), rows.size(), cause == null ? "not sent" : cause.getMessage());
        }
        return ids;
    }

    private Uni<Integer> delete(SqlConnection connection, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return connection.preparedQuery("delete from outbox_event where id = any($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .map(result -> ids.size());
    }

    private CompletableFuture<Void> sendOne(Row row) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        try {
            producer().send(toRecord(row), (metadata, error) -> {
                if (error == null) {
                    ack.complete(null);
                } else {
                    ack.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            ack.completeExceptionally(e);
        }
        return ack;
    }

    private static ProducerRecord<String, String> toRecord(Row row) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, SPEC_VERSION, SPEC_VERSION_1_0);
        header(headers, ID, row.getUUID("event_id").toString());
        header(headers, SOURCE, row.getString("source"));
        header(headers, TYPE, row.getString("event_type"));
        header(headers, TIME, row.getOffsetDateTime("occurred_at").format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        header(headers, SUBJECT, row.getString("subject"));
        if (row.getString("tenant") != null) {
            header(headers, TENANT, row.getString("tenant"));
        }
        header(headers, CONTENT_TYPE, JSON);
        return new ProducerRecord<>(row.getString("topic"), null, row.getString("record_key"),
                row.getString("payload"), headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private Producer<String, String> producer() {
        Producer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(producerProperties());
                }
                current = producer;
            }
        }
        return current;
    }

    private Properties producerProperties() {
        long deliveryMs = config.deliveryTimeout().toMillis();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(deliveryMs - 10, 10_000));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryMs);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.putAll(dev.rewind.commons.messaging.KafkaSecurity.settings(org.eclipse.microprofile.config.ConfigProvider.getConfig()));
        return props;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
