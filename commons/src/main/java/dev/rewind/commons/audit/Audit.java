package dev.rewind.commons.audit;

import dev.rewind.commons.outbox.Outbox;
import dev.rewind.commons.outbox.OutgoingEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The audit trail: every service records who did what to which entity as an {@code audit.recorded} event on
 * {@code rewind.audit}, through the outbox, in the transaction of the action itself. Details never hold secrets.
 */
@ApplicationScoped
public class Audit {

    public static final String TOPIC = "rewind.audit";
    public static final String TYPE = "audit.recorded";

    /** Payload of audit.recorded. */
    public record AuditRecorded(String tenant, String actor, String action, String entityType, String entityId,
            Map<String, Object> details, OffsetDateTime at) {
    }

    private final Outbox outbox;

    public Audit(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Records an action in the current transaction.
     *
     * @param action     what was done, e.g. {@code server.connection.read}, {@code backup.deleted}
     * @param entityType the kind of entity, e.g. {@code server}
     * @param entityId   the entity's id; also the record key, so one entity's trail stays in order
     */
    public Uni<Void> record(String tenant, String actor, String action, String entityType, String entityId,
            Map<String, Object> details) {
        return outbox.publish(new OutgoingEvent(TOPIC, entityId, TYPE, entityId, tenant,
                new AuditRecorded(tenant, actor, action, entityType, entityId, details == null ? Map.of() : details,
                        OffsetDateTime.now(ZoneOffset.UTC))));
    }
}
