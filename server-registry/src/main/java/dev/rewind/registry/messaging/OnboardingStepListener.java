package dev.rewind.registry.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.rewind.commons.messaging.CloudEvent;
import dev.rewind.commons.messaging.EventConsumer;
import dev.rewind.registry.OnboardingStep;
import dev.rewind.registry.StepStatus;
import dev.rewind.registry.service.OnboardingService;
import dev.rewind.registry.service.StepReport;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes rewind.onboarding: pitr-service's {@code onboarding.step} reports, each applied once (idempotent on the
 * CloudEvent id). A record that is not a readable onboarding.step is logged and skipped; a failure to apply one
 * (the database away) is retried with backoff, so the partition waits rather than loses the step.
 */
@ApplicationScoped
public class OnboardingStepListener {

    public static final String CHANNEL = "onboarding-steps";
    public static final String TOPIC = "rewind.onboarding";
    public static final String TYPE = "onboarding.step";
    /** The idempotent consumer's name: the processed_event rows of this listener. */
    public static final String CONSUMER = "server-registry.onboarding-steps";


    private final EventConsumer events;
    private final OnboardingService onboarding;
    private final ObjectMapper json;

    public OnboardingStepListener(EventConsumer events, OnboardingService onboarding, ObjectMapper json) {
        this.events = events;
        this.onboarding = onboarding;
        this.json = json.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    @Incoming(CHANNEL)
    public Uni<Void> onStep(ConsumerRecord<String, String> record) {
        CloudEvent event;
        StepReport report;
        try {
            event = CloudEvent.from(record);
            if (!TYPE.equals(event.shortType())) {
                Log.debugf("skipping %s on %s: not %s", event.type(), record.topic(), TYPE);
                return Uni.createFrom().voidItem();
            }
            report = read(event);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            Log.warnf("skipping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return events.applyOnce(CONSUMER, record, event, () -> onboarding.apply(report));
    }

    private StepReport read(CloudEvent event) throws JsonProcessingException {
        if (event.data() == null || event.data().isBlank()) {
            throw new IllegalArgumentException("event " + event.id() + " has no payload");
        }
        OnboardingStepReported payload = json.readValue(event.data(), OnboardingStepReported.class);
        if (payload.serverId() == null) {
            throw new IllegalArgumentException("event " + event.id() + " names no server_id");
        }
        OnboardingStep step = OnboardingStep.of(payload.step())
                .orElseThrow(() -> new IllegalArgumentException("event " + event.id() + " has an unknown step: " + payload.step()));
        StepStatus status = StepStatus.of(payload.status())
                .orElseThrow(() -> new IllegalArgumentException("event " + event.id() + " has an unknown status: " + payload.status()));
        int attempt = payload.attempt() == null ? 1 : payload.attempt();
        if (attempt < 1) {
            throw new IllegalArgumentException("event " + event.id() + " has attempt " + attempt);
        }
        OffsetDateTime at = payload.at() != null ? payload.at()
                : event.time() != null ? event.time() : OffsetDateTime.now(ZoneOffset.UTC);
        String tenant = payload.tenant() != null ? payload.tenant() : event.tenant();
        return new StepReport(payload.serverId(), tenant, step, status, attempt, at.withOffsetSameInstant(ZoneOffset.UTC),
                payload.error(), payload.instance());
    }
}
