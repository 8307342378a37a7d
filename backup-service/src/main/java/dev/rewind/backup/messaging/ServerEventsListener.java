package dev.rewind.backup.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.backup.service.ServerProjection;
import dev.rewind.commons.messaging.CloudEvent;
import dev.rewind.commons.messaging.EventConsumer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the server projection current from {@code rewind.servers}: registered and updated servers are known
 * (tenant, name, partition), decommissioned ones stop their schedules. A malformed record is logged and skipped.
 * The channel's consumer group also decides which instance runs which server's backups ({@link WorkOwnership}).
 */
@ApplicationScoped
public class ServerEventsListener {

    public static final String CHANNEL = "servers";
    static final String CONSUMER = "backup-service.servers";

    private final EventConsumer events;
    private final ServerProjection projection;
    private final ObjectMapper json;

    public ServerEventsListener(EventConsumer events, ServerProjection projection, ObjectMapper json) {
        this.events = events;
        this.projection = projection;
        this.json = json;
    }

    @Incoming(CHANNEL)
    public Uni<Void> onServerEvent(ConsumerRecord<String, String> record) {
        ServerChange change;
        CloudEvent event;
        try {
            event = CloudEvent.from(record);
            change = ServerChange.of(event.shortType(), json.readTree(event.data()), record.partition());
        } catch (Exception e) {
            Log.warnf("skipping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (change == null) {
            return Uni.createFrom().voidItem(); // a type this service does not follow
        }
        // what is left to fail is the database: retried while it is down, never dropped — a lost registration would
        // refuse the server's backups, a lost decommission would keep its schedules firing; an event that keeps
        // failing while it answers is dead-lettered instead of stalling the partition
        return events.applyOnce(CONSUMER, record, event, () -> projection.apply(change));
    }

    /** What an event of rewind.servers says about a server, and the partition it came from. */
    public record ServerChange(UUID serverId, String tenant, String name, boolean decommissioned, int partition) {

        static ServerChange of(String type, JsonNode data, int partition) {
            boolean decommissioned;
            switch (type) {
                case "server.registered", "server.updated" -> decommissioned = false;
                case "server.decommissioned" -> decommissioned = true;
                default -> {
                    return null;
                }
            }
            String id = text(data, "server_id");
            String tenant = text(data, "tenant");
            String name = text(data, "name");
            if (id == null || tenant == null || name == null) {
                throw new IllegalArgumentException(type + " lacks server_id, tenant or name");
            }
            return new ServerChange(UUID.fromString(id), tenant, name, decommissioned, partition);
        }

        private static String text(JsonNode data, String field) {
            JsonNode node = data.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }
    }
}
