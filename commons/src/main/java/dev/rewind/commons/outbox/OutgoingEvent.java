package dev.rewind.commons.outbox;

import java.util.Objects;

/**
 * An event a service wants published, as it hands it to the {@link Outbox}.
 *
 * @param topic   the Kafka topic, e.g. {@code rewind.servers}
 * @param key     the record key: the server (or agent) id, so that entity's events keep their order
 * @param type    the event type without the {@code dev.rewind.} prefix, e.g. {@code server.registered}
 * @param subject the id of the entity the event is about
 * @param tenant  the tenant the entity belongs to; {@code null} only for platform-wide events
 * @param data    the payload, a record of the service's own (never an entity); serialized as JSON
 */
public record OutgoingEvent(String topic, String key, String type, String subject, String tenant, Object data) {

    public OutgoingEvent {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(data, "data");
    }
}
