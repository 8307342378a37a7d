package dev.rewind.commons.outbox;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class WidgetService {

    public static final String TOPIC = "rewind.commons-test";

    public record WidgetCreated(String id, String ownerKey, int seq) {
    }

    private final Outbox outbox;

    public WidgetService(Outbox outbox) {
        this.outbox = outbox;
    }

    /** The change and its event, in one transaction. */
    @WithTransaction
    public Uni<Widget> create(String ownerKey, int seq) {
        Widget widget = new Widget();
        widget.id = UUID.randomUUID();
        widget.ownerKey = ownerKey;
        widget.seq = seq;
        return widget.<Widget>persist()
                .call(saved -> outbox.publish(new OutgoingEvent(TOPIC, ownerKey, "widget.created", saved.id.toString(),
                        "acme", new WidgetCreated(saved.id.toString(), ownerKey, seq))));
    }
}
