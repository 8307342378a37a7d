package dev.rewind.pitr.service;

import dev.rewind.commons.outbox.Outbox;
import dev.rewind.commons.outbox.OutgoingEvent;
import dev.rewind.pitr.messaging.AnomalyEvent;
import dev.rewind.pitr.messaging.OnboardingStepEvent;
import dev.rewind.pitr.messaging.Topics;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/** Reports onboarding steps to server-registry as onboarding.step events (through the outbox). */
@ApplicationScoped
public class OnboardingReporter {

    public static final String PROVISIONING = "provisioning";
    public static final String AWAITING_FIREWALL = "awaiting_firewall";
    public static final String WAITING_FOR_AGENT = "waiting_for_agent";
    public static final String INITIALIZING = "initializing";
    public static final String SNAPSHOTTING = "snapshotting";
    public static final String STREAMING = "streaming";

    public static final String STARTED = "started";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    private final Outbox outbox;

    public OnboardingReporter(Outbox outbox) {
        this.outbox = outbox;
    }

    @WithTransaction
    public Uni<Void> report(UUID serverId, String tenant, String step, String status, String error, int attempt, String instance) {
        OnboardingStepEvent payload = new OnboardingStepEvent(serverId, tenant, step, status, error, attempt,
                OffsetDateTime.now(ZoneOffset.UTC), instance);
        return outbox.publish(new OutgoingEvent(Topics.ONBOARDING, serverId.toString(), OnboardingStepEvent.TYPE,
                serverId.toString(), tenant, payload));
    }

    /**
     * A live stream died: its streaming step is reported failed (the server shows {@code error} with the reason) and
     * a critical stream_failure anomaly is published, together.
     *
     * @param attempt the stream's failure count plus one: larger than any streaming report before it
     */
    @WithTransaction
    public Uni<Void> streamDied(UUID serverId, String tenant, String name, String reason, int attempt, String instance) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        AnomalyEvent anomaly = new AnomalyEvent(UUID.randomUUID(), tenant, AnomalyEvent.STREAM_FAILURE, "critical", null, serverId,
                null, null, "The binlog stream of " + name + " stopped: " + reason + "; it is restarted from its checkpoint",
                Map.of("instance", instance, "failures", attempt - 1), now);
        return report(serverId, tenant, STREAMING, FAILED, reason, attempt, instance)
                .call(() -> outbox.publish(new OutgoingEvent(Topics.ANOMALIES, serverId.toString(), AnomalyEvent.TYPE,
                        serverId.toString(), tenant, anomaly)));
    }
}
