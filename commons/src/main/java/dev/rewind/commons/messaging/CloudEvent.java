package dev.rewind.commons.messaging;

import static dev.rewind.commons.messaging.CloudEventHeaders.*;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A CloudEvents 1.0 event as it arrives from Kafka in binary mode: attributes in {@code ce_*} headers,
 * the JSON payload as the record value.
 */
public record CloudEvent(String id, String source, String type, String subject, String tenant,
        OffsetDateTime time, String data) {

    /**
     * Reads the envelope of a record.
     *
     * @throws IllegalArgumentException when the record is not a CloudEvent (no {@code ce_id}, {@code ce_type},
     *                                  {@code ce_source} or {@code ce_specversion}, or an unreadable time)
     */
    public static CloudEvent from(ConsumerRecord<?, String> record) {
        String specVersion = header(record, SPEC_VERSION);
        String id = header(record, ID);
        String type = header(record, TYPE);
        String source = header(record, SOURCE);
        if (specVersion == null || id == null || type == null || source == null) {
            throw new IllegalArgumentException("record %s-%d@%d is not a CloudEvent (ce_specversion, ce_id, ce_type and ce_source are required)"
                    .formatted(record.topic(), record.partition(), record.offset()));
        }
        String time = header(record, TIME);
        try {
            return new CloudEvent(id, source, type, header(record, SUBJECT), header(record, TENANT),
                    time == null ? null : OffsetDateTime.parse(time), record.value());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("event " + id + " has an unreadable ce_time: " + time, e);
        }
    }

    /** The type without the {@code dev.rewind.} prefix, e.g. {@code server.registered}. */
    public String shortType() {
        return type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
    }

    private static String header(ConsumerRecord<?, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
