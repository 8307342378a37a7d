package dev.rewind.pitr.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rewind.commons.messaging.CloudEvent;
import dev.rewind.commons.messaging.IdempotentConsumer;
import dev.rewind.pitr.service.BaselineService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps the baselines projection from rewind.backups: backup.completed adds one, backup.deleted removes it. */
@ApplicationScoped
public class BackupEventsListener {

    static final String CONSUMER = "pitr-service.baselines";

    private final IdempotentConsumer idempotent;
    private final BaselineService baselines;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public BackupEventsListener(IdempotentConsumer idempotent, BaselineService baselines) {
        this.idempotent = idempotent;
        this.baselines = baselines;
    }

    @Incoming(Topics.BACKUPS_CHANNEL)
    public Uni<Void> onBackupEvent(ConsumerRecord<String, String> record) {
        CloudEvent event;
        BackupEventPayload payload;
        try {
            event = CloudEvent.from(record);
            payload = json.readValue(record.value(), BackupEventPayload.class);
        } catch (Exception e) {
            Log.warnf("skipping malformed record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        String type = event.shortType();
        if (payload.backupId() == null || payload.serverId() == null) {
            return Uni.createFrom().voidItem();
        }
        if ("backup.completed".equals(type)) {
            if (payload.completedAt() == null || payload.tenant() == null) {
                Log.warnf("skipping backup.completed %s without completed_at or tenant", event.id());
                return Uni.createFrom().voidItem();
            }
            if (!payload.usableAsBaseline()) {
                Log.debugf("backup %s was taken with %s: not a PITR baseline", payload.backupId(), payload.backupTool());
                return Uni.createFrom().voidItem();
            }
            return applyUntilDone(event, () -> baselines.completed(payload));
        } else if ("backup.deleted".equals(type)) {
            return applyUntilDone(event, () -> baselines.deleted(payload.backupId()));
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * What is left to fail once the record was read is the database: the event is retried (this channel waits) until
     * it is applied, never dropped — a lost backup.completed would be a baseline PITR never knows of.
     */
    private Uni<Void> applyUntilDone(CloudEvent event, Supplier<Uni<?>> apply) {
        return idempotent.handleOnce(CONSUMER, event.id(), apply)
                .onFailure().invoke(e -> Log.warnf("%s %s not applied yet, retrying: %s", event.shortType(), event.id(), e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid();
    }
}
