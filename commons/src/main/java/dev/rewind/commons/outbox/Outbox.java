package dev.rewind.commons.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.rewind.commons.messaging.CloudEventHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records events in the outbox table. Call it inside the transaction that makes the change
 * ({@code @WithTransaction} on the service method): the change and its event commit together or not at all.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper json;
    private final String source;

    public Outbox(ObjectMapper json, @ConfigProperty(name = "quarkus.application.name") String source) {
        // event payloads are snake_case on every topic, whatever JSON style the service's own API speaks
        this.json = json.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        this.source = source;
    }

    /** Adds the event to the current transaction; it is published after the commit. */
    public Uni<Void> publish(OutgoingEvent event) {
        return Uni.createFrom().item(() -> toRow(event))
                .chain(row -> row.persist())
                .replaceWithVoid();
    }

    private OutboxEvent toRow(OutgoingEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.eventId = UUID.randomUUID();
        row.topic = event.topic();
        row.recordKey = event.key();
        row.eventType = CloudEventHeaders.TYPE_PREFIX + event.type();
        row.source = source;
        row.subject = event.subject();
        row.tenant = event.tenant();
        row.occurredAt = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            row.payload = json.writeValueAsString(event.data());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload of " + event.type() + " is not serializable", e);
        }
        return row;
    }
}
