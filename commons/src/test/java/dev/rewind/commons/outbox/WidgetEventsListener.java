package dev.rewind.commons.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.commons.messaging.CloudEvent;
import dev.rewind.commons.messaging.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A consumer whose side effect (a row per handled event) shows duplicates and ordering. */
@ApplicationScoped
public class WidgetEventsListener {

    private final IdempotentConsumer idempotent;
    private final ObjectMapper json;

    public WidgetEventsListener(IdempotentConsumer idempotent, ObjectMapper json) {
        this.idempotent = idempotent;
        this.json = json;
    }

    @Incoming("widget-events")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) throws JsonProcessingException {
        CloudEvent event = CloudEvent.from(record);
        WidgetService.WidgetCreated created = json.readValue(event.data(), WidgetService.WidgetCreated.class);
        WidgetEffect effect = new WidgetEffect();
        effect.eventId = event.id();
        effect.ownerKey = created.ownerKey();
        effect.seq = created.seq();
        return idempotent.handleOnce("widget-effects", event.id(), effect::persist).replaceWithVoid();
    }
}
