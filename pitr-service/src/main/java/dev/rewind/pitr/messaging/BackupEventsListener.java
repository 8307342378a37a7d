package dev.rewind.pitr.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rewind.commons.messaging.CloudEvent;
import dev.rewind.commons.messaging.EventConsumer;
import dev.rewind.pitr.service.BaselineService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps the baselines projection from rewind.backups: backup.completed adds one, backup.deleted removes it. */
@ApplicationScoped
public class BackupEventsListener {

    static final String CONSUMER = "pitr-service.baselines";

    private final EventConsumer events;
    private final BaselineService baselines;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * What is left to fail once the record was read is the database: {@link EventConsumer} retries while it is down
     * (a lost backup.completed would be a baseline PITR never knows of) and dead-letters an event that keeps failing
     * while it answers.
     */
    public BackupEventsListener(EventConsumer events, BaselineService baselines) {
        this.events = events;
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
            return events.applyOnce(CONSUMER, record, event, () -> baselines.completed(payload));
        } else if ("backup.deleted".equals(type)) {
            return events.applyOnce(CONSUMER, record, event, () -> baselines.deleted(payload.backupId()));
        }
        return Uni.createFrom().voidItem();
    }
}
