package dev.rewind.commons.outbox;

import static dev.rewind.commons.messaging.CloudEventHeaders.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.LocalStack;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The outbox and the idempotent consumer against the real broker and database of the local stack. */
@QuarkusTest
class OutboxTest {

    @Inject
    WidgetService widgets;

    @Test
    void changesCommittedWhileKafkaIsDownAreDeliveredInOrderOnceItReturns() throws InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> keys = List.of(run + "-a", run + "-b", run + "-c");

        LocalStack.stop("kafka");
        try {
            for (int seq = 1; seq <= 5; seq++) {
                for (String key : keys) {
                    int s = seq;
                    await(() -> widgets.create(key, s));
                }
            }
            assertEquals(15L, count("from Widget where ownerKey like ?1", run + "%"), "every change committed without Kafka");
            Thread.sleep(2_000); // give the relay several rounds against the dead broker
            assertEquals(15L, count("from OutboxEvent where recordKey like ?1", run + "%"), "no event dropped while Kafka is down");
        } finally {
            LocalStack.start("kafka");
        }

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> count("from WidgetEffect where ownerKey like ?1", run + "%") == 15L);
        for (String key : keys) {
            assertEquals(List.of(1, 2, 3, 4, 5), effectSeqs(key), "events of " + key + " handled in the order of their changes");
        }
        assertEquals(0L, count("from OutboxEvent where recordKey like ?1", run + "%"), "published events leave the outbox");
    }

    @Test
    void publishedRecordsAreBinaryModeCloudEventsKeyedByEntity() {
        String key = UUID.randomUUID().toString();
        Widget widget = await(() -> widgets.create(key, 1));

        List<ConsumerRecord<String, String>> records = awaitRecords(key, 1);
        ConsumerRecord<String, String> record = records.get(0);
        assertEquals("1.0", header(record, SPEC_VERSION));
        assertEquals("dev.rewind.widget.created", header(record, TYPE));
        assertEquals("commons-test", header(record, SOURCE));
        assertEquals(widget.id.toString(), header(record, SUBJECT));
        assertEquals("acme", header(record, TENANT));
        assertEquals("application/json", header(record, CONTENT_TYPE));
        assertEquals("{\"id\":\"" + widget.id + "\",\"owner_key\":\"" + key + "\",\"seq\":1}", record.value());
    }

    @Test
    void theSameEventDeliveredTwiceHasOneEffect() {
        String key = UUID.randomUUID().toString();
        await(() -> widgets.create(key, 1));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> effectSeqs(key).size() == 1);

        KafkaTopics.resend(awaitRecords(key, 1).get(0));
        await(() -> widgets.create(key, 2)); // same key, same partition: handled after the duplicate

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> effectSeqs(key).size() >= 2);
        assertEquals(List.of(1, 2), effectSeqs(key), "the redelivered event changed nothing");
        assertEquals(3, KafkaTopics.read(WidgetService.TOPIC, r -> key.equals(r.key()), Duration.ofSeconds(1)).size(),
                "the topic holds the first event, its duplicate and the second event");
    }

    private static List<ConsumerRecord<String, String>> awaitRecords(String key, int expected) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> KafkaTopics.read(WidgetService.TOPIC, r -> key.equals(r.key()), Duration.ofMillis(500)),
                        found -> found.size() >= expected);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<Integer> effectSeqs(String key) {
        List<WidgetEffect> effects = await(() -> Panache.withSession(() -> WidgetEffect.<WidgetEffect>list("ownerKey = ?1 order by id", key)));
        return effects.stream().map(e -> e.seq).toList();
    }

    private static long count(String query, Object... params) {
        return await(() -> Panache.withSession(() -> Widget.getSession().chain(s -> s.createQuery("select count(*) " + query, Long.class)
                .setParameter(1, params[0]).getSingleResult())));
    }

    /** Runs reactive work on a Vert.x context (Hibernate Reactive needs one) and waits for its result. */
    private static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
