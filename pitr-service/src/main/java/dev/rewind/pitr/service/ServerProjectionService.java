package dev.rewind.pitr.service;

import dev.rewind.pitr.Server;
import dev.rewind.pitr.messaging.ServerEventPayload;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Keeps the local projection of rewind.servers: what pitr-service knows of each server. */
@ApplicationScoped
public class ServerProjectionService {

    public static final String REGISTERED = "server.registered";
    public static final String UPDATED = "server.updated";
    public static final String DECOMMISSIONED = "server.decommissioned";

    /**
     * Applies one server event. Idempotent, and an event older than what the projection holds changes nothing
     * (a redelivery after a newer update).
     *
     * @return the server as the projection now holds it; null for an event about a server never registered
     */
    @WithTransaction
    public Uni<Server> apply(String type, ServerEventPayload event, int partition, OffsetDateTime eventTime) {
        return Server.<Server>findById(event.serverId()).chain(existing -> {
            if (existing != null && existing.updatedAt.isAfter(eventTime)) {
                return Uni.createFrom().item(existing);
            }
            if (existing == null && (DECOMMISSIONED.equals(type) || event.host() == null)) {
                return Uni.createFrom().nullItem();
            }
            Server server = existing == null ? new Server() : existing;
            server.id = event.serverId();
            server.kafkaPartition = partition;
            server.updatedAt = eventTime;
            if (event.tenant() != null) {
                server.tenant = event.tenant();
            }
            if (event.name() != null) {
                server.name = event.name();
            }
            if (DECOMMISSIONED.equals(type)) {
                server.decommissionedAt = event.decommissionedAt() == null ? eventTime : event.decommissionedAt();
            } else {
                server.host = event.host();
                server.port = event.port() == null ? 3306 : event.port();
                server.connectionMethod = event.connectionMethod() == null ? "direct" : event.connectionMethod();
                if (event.firewallConfirmed() != null) {
                    server.firewallConfirmed = event.firewallConfirmed();
                }
            }
            return existing == null ? server.<Server>persist() : Uni.createFrom().item(server);
        });
    }

    @WithSession
    public Uni<List<Server>> active(Collection<Integer> partitions) {
        return Server.list("kafkaPartition in ?1 and decommissionedAt is null", partitions);
    }

    @WithSession
    public Uni<Server> find(UUID id) {
        return Server.findById(id);
    }

    /** The server of the tenant, decommissioned ones included (their index stays readable); null when unknown. */
    @WithSession
    public Uni<Server> findForTenant(String tenant, UUID id) {
        return Server.find("id = ?1 and tenant = ?2", id, tenant).firstResult();
    }
}
