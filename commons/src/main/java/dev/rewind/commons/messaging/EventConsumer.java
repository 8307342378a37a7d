package dev.rewind.commons.messaging;

import dev.rewind.commons.outbox.Outbox;
import dev.rewind.commons.outbox.OutgoingEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How every consumer applies an event it has read and found valid: the effect is retried with backoff, and
 * <ul>
 * <li>while the service's database does not answer, for as long as that lasts — an outage never drops an event;</li>
 * <li>while the database answers and the event still fails, {@code rewind.consumer.max-attempts} times: then it is
 * poison. It goes to {@value #DEAD_LETTERS} (through the outbox: the original record, where it came from and the
 * error), is counted in {@code rewind_consumer_dead_letters_total{consumer,topic}}, and the partition moves on
 * instead of stalling behind it.</li>
 * </ul>
 * Retries run on the Vert.x context the record arrived on, where the reactive session lives.
 */
@ApplicationScoped
public class EventConsumer {

    public static final String DEAD_LETTERS = "rewind.dead-letters";
    public static final String DEAD_LETTER_TYPE = "dead.letter";

    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(10);

    private final IdempotentConsumer idempotent;
    private final Outbox outbox;
    private final MeterRegistry meters;
    private final int maxAttempts;
    private final String service;

    public EventConsumer(IdempotentConsumer idempotent, Outbox outbox, MeterRegistry meters,
            @ConfigProperty(name = "rewind.consumer.max-attempts", defaultValue = "5") int maxAttempts,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.idempotent = idempotent;
        this.outbox = outbox;
        this.meters = meters;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.service = service;
    }

    /** What a dead-lettered event was, where it came from and why it could not be applied. */
    public record DeadLetter(String consumer, String service, String topic, int partition, long offset, String key,
            String eventId, String eventType, String tenant, String error, int attempts, String value,
            OffsetDateTime deadLetteredAt) {
    }

    /** Applies the effect at most once per {@code consumer} and event id ({@link IdempotentConsumer}), as above. */
    public Uni<Void> applyOnce(String consumer, ConsumerRecord<String, String> record, CloudEvent event, Supplier<Uni<?>> effect) {
        return apply(consumer, record, event, () -> idempotent.handleOnce(consumer, event.id(), effect));
    }

    /** Applies an effect that is idempotent by itself, as above. */
    public Uni<Void> apply(String consumer, ConsumerRecord<String, String> record, CloudEvent event, Supplier<Uni<?>> effect) {
        Context context = Vertx.currentContext();
        Executor onContext = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        return attempt(consumer, record, event, effect, onContext, 0, FIRST_RETRY);
    }

    private Uni<Void> attempt(String consumer, ConsumerRecord<String, String> record, CloudEvent event, Supplier<Uni<?>> effect,
            Executor onContext, int failures, Duration delay) {
        return Uni.createFrom().deferred(effect).runSubscriptionOn(onContext).replaceWithVoid()
                .onFailure().recoverWithUni(error -> databaseAnswers().runSubscriptionOn(onContext).chain(up -> {
                    int counted = up ? failures + 1 : failures;
                    if (up && counted >= maxAttempts) {
                        return deadLetter(consumer, record, event, error, counted)
                                .onFailure().recoverWithUni(e -> {
                                    Log.warnf("%s: event %s could not be dead-lettered yet: %s", consumer, event.id(), e.getMessage());
                                    return retryLater(consumer, record, event, effect, onContext, failures, delay);
                                });
                    }
                    Log.warnf("%s: event %s (%s) not applied yet (%s), retrying in %d ms: %s", consumer, event.id(),
                            event.shortType(), up ? "attempt " + counted + " of " + maxAttempts : "the database does not answer",
                            delay.toMillis(), error.getMessage());
                    return retryLater(consumer, record, event, effect, onContext, counted, delay);
                }));
    }

    private Uni<Void> retryLater(String consumer, ConsumerRecord<String, String> record, CloudEvent event, Supplier<Uni<?>> effect,
            Executor onContext, int failures, Duration delay) {
        Duration next = delay.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : delay.multipliedBy(2);
        return Uni.createFrom().voidItem().onItem().delayIt().by(delay)
                .chain(() -> attempt(consumer, record, event, effect, onContext, failures, next));
    }

    /** Whether the service's database answers now: what tells an outage (wait) from a poison event (give up). */
    private Uni<Boolean> databaseAnswers() {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery("select 1").getSingleResult()))
                .ifNoItem().after(Duration.ofSeconds(5)).fail()
                .replaceWith(true)
                .onFailure().recoverWithItem(false);
    }

    private Uni<Void> deadLetter(String consumer, ConsumerRecord<String, String> record, CloudEvent event, Throwable error,
            int attempts) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        String key = record.key() == null ? event.id() : record.key();
        DeadLetter letter = new DeadLetter(consumer, service, record.topic(), record.partition(), record.offset(), key,
                event.id(), event.type(), event.tenant(), message.length() > 2000 ? message.substring(0, 2000) : message, attempts,
                record.value(), OffsetDateTime.now(ZoneOffset.UTC));
        return Panache.withTransaction(() -> outbox.publish(new OutgoingEvent(DEAD_LETTERS, key, DEAD_LETTER_TYPE, event.id(),
                        event.tenant(), letter)))
                .invoke(() -> {
                    meters.counter("rewind.consumer.dead.letters", "consumer", consumer, "topic", record.topic()).increment();
                    Log.errorf("%s: event %s (%s) from %s-%d@%d failed %d times while the database answers: moved to %s (%s)",
                            consumer, event.id(), event.shortType(), record.topic(), record.partition(), record.offset(), attempts,
                            DEAD_LETTERS, message);
                })
                .replaceWithVoid();
    }
}
