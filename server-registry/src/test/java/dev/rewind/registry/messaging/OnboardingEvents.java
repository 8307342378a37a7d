package dev.rewind.registry.messaging;

import dev.rewind.testing.LocalStack;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays pitr-service: writes onboarding.step events to the real rewind.onboarding topic, as CloudEvents in binary
 * mode with the headers commons' OutboxRelay writes.
 */
final class OnboardingEvents implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    OnboardingEvents() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.env("KAFKA_BOOTSTRAP_SERVERS"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props);
    }

    /** One step event; answers its ce_id. */
    String step(String serverId, String tenant, String step, String status, int attempt, OffsetDateTime at, String error) {
        String id = UUID.randomUUID().toString();
        send(id, serverId, tenant, step, status, attempt, at, error);
        return id;
    }

    /** A step event with a given ce_id (a redelivery when the id was sent before). */
    void send(String eventId, String serverId, String tenant, String step, String status, int attempt, OffsetDateTime at, String error) {
        String payload = """
                {"server_id":"%s","tenant":"%s","step":"%s","status":"%s","error":%s,"attempt":%d,"at":"%s","instance":"pitr-service-test"}"""
                .formatted(serverId, tenant, step, status, error == null ? "null" : "\"" + error + "\"", attempt,
                        at.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        raw(eventId, serverId, tenant, "dev.rewind.onboarding.step", payload);
    }

    /** Any record with CloudEvents headers, e.g. a malformed payload. */
    void raw(String eventId, String serverId, String tenant, String type, String payload) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", eventId);
        header(headers, "ce_source", "pitr-service");
        header(headers, "ce_type", type);
        header(headers, "ce_time", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        header(headers, "ce_subject", serverId);
        header(headers, "ce_tenant", tenant);
        header(headers, "content-type", "application/json");
        try {
            producer.send(new ProducerRecord<>("rewind.onboarding", null, serverId, payload, headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to rewind.onboarding", e);
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
