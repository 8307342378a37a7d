package dev.rewind.runs.messaging;

import static dev.rewind.commons.messaging.CloudEventHeaders.*;

import dev.rewind.testing.LocalStack;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/** Events on the real topics, with the CloudEvents binary-mode headers exactly as commons' OutboxRelay writes them. */
final class CloudEvents {

    private CloudEvents() {
    }

    static ProducerRecord<String, String> event(String topic, String key, String type, String source, String subject,
            String tenant, String payload) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, SPEC_VERSION, SPEC_VERSION_1_0);
        header(headers, ID, UUID.randomUUID().toString());
        header(headers, SOURCE, source);
        header(headers, TYPE, TYPE_PREFIX + type);
        header(headers, TIME, OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        header(headers, SUBJECT, subject);
        header(headers, TENANT, tenant);
        header(headers, CONTENT_TYPE, JSON);
        return new ProducerRecord<>(topic, null, key, payload, headers);
    }

    /** Sends each record, in order, and waits for the broker's acknowledgement. */
    @SafeVarargs
    static void send(ProducerRecord<String, String>... records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.env("KAFKA_BOOTSTRAP_SERVERS"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (ProducerRecord<String, String> record : records) {
                producer.send(record).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to Kafka", e);
        }
    }

    static String id(ProducerRecord<String, String> record) {
        return new String(record.headers().lastHeader(ID).value(), StandardCharsets.UTF_8);
    }

    /** The record's headers, one value each, as EventContracts checks them. */
    static Map<String, String> headers(ProducerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
