package dev.rewind.runs.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rewind.commons.messaging.CloudEvent;
import dev.rewind.commons.messaging.EventConsumer;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.runs.service.BackupRunService;
import dev.rewind.runs.service.RunReport;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the listeners share: reading a record as a CloudEvent, skipping (with a log line) what cannot become
 * a run, and storing the rest once per event id, retrying transient failures with backoff.
 */
@ApplicationScoped
public class RunEventRecorder {

    private static final int MAX_TENANT = 100;
    private static final int MAX_SOURCE = 100;

    private final BackupRunService runs;
    private final EventConsumer events;
    private final ObjectMapper json;

    public RunEventRecorder(BackupRunService runs, EventConsumer events, ObjectMapper json) {
        this.runs = runs;
        this.events = events;
        this.json = json;
    }

    /** A record's run, as a listener reads it: null when the event is not about a finished run. */
    @FunctionalInterface
    interface RunReading {
        EventRun read(CloudEvent event) throws JsonProcessingException;
    }

    /** The run an event tells of, the tenant it belongs to and who reported it. */
    record EventRun(String tenant, RunReport report, String source) {
    }

    Uni<Void> record(String consumer, ConsumerRecord<String, String> record, RunReading reading) {
        CloudEvent event;
        EventRun run;
        try {
            event = CloudEvent.from(record);
            run = reading.read(event);
            if (run == null) {
                return Uni.createFrom().voidItem();
            }
            if (run.tenant() == null || run.tenant().isBlank() || run.tenant().length() > MAX_TENANT) {
                throw new IllegalArgumentException("event " + event.id() + " names no tenant (or an overlong one)");
            }
            if (run.source() == null || run.source().isBlank() || run.source().length() > MAX_SOURCE) {
                throw new IllegalArgumentException("event " + event.id() + " names no reporter (or an overlong one)");
            }
            run.report().check();
        } catch (JsonProcessingException | IllegalArgumentException | ProblemException e) {
            Log.warnf("%s: skipping record %s-%d@%d that cannot be a run: %s", consumer, record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        String eventId = event.id();
        // recordFromEvent is idempotent on (consumer, event id) itself
        return events.apply(consumer, record, event, () -> runs.recordFromEvent(consumer, eventId, run.tenant(), run.report(),
                run.source()));
    }

    /** Compact JSON of the non-null values of {@code name, value, name, value, ...}, in that order. */
    String metadata(Object... namesAndValues) {
        ObjectNode node = json.createObjectNode();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                node.set((String) namesAndValues[i], json.valueToTree(namesAndValues[i + 1]));
            }
        }
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata cannot be written", e);
        }
    }

    <T> T payload(CloudEvent event, Class<T> type) throws JsonProcessingException {
        if (event.data() == null) {
            throw new IllegalArgumentException("event " + event.id() + " has no payload");
        }
        return json.readValue(event.data(), type);
    }

    /** The first value that is not null (or null). */
    @SafeVarargs
    static <T> T first(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
