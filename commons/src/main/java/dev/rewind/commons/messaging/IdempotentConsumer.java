package dev.rewind.commons.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * Gives an event's effect at most once per consumer: the effect and the mark "handled" commit in one
 * transaction, and an event id already marked is skipped. With Kafka's at-least-once delivery this makes
 * every consumer exactly-once in effect.
 */
@ApplicationScoped
public class IdempotentConsumer {

    /**
     * Runs {@code effect} in a transaction unless {@code consumer} has handled {@code eventId} before.
     *
     * @return true when the effect ran, false when the event was a duplicate
     */
    public Uni<Boolean> handleOnce(String consumer, String eventId, Supplier<Uni<?>> effect) {
        ProcessedEvent.Key key = new ProcessedEvent.Key(consumer, eventId);
        return Panache.withTransaction(() -> ProcessedEvent.<ProcessedEvent>findById(key)
                .chain(seen -> seen != null
                        ? Uni.createFrom().item(false)
                        : effect.get().chain(() -> mark(key)).replaceWith(true)));
    }

    private static Uni<ProcessedEvent> mark(ProcessedEvent.Key key) {
        ProcessedEvent processed = new ProcessedEvent();
        processed.key = key;
        processed.processedAt = OffsetDateTime.now(ZoneOffset.UTC);
        return processed.persist();
    }
}
