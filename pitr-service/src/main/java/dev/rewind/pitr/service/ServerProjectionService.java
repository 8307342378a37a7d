package dev.rewind.pitr.service;

import dev.rewind.commons.problem.ProblemException;
import dev.rewind.pitr.Server;
import dev.rewind.source.RegisteredSource;
import dev.rewind.pitr.client.ServerRegistryClient;
import dev.rewind.pitr.messaging.ServerEventPayload;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;

/** Keeps the local projection of rewind.servers: what pitr-service knows of each server. */
@ApplicationScoped
public class ServerProjectionService {

    /** The partition of a server projected from server-registry's answer: unknown (it streams nowhere) until its event. */
    static final int PARTITION_UNKNOWN = -1;

    private final ServerRegistryClient registry;

    public ServerProjectionService(ServerRegistryClient registry) {
        this.registry = registry;
    }

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

    /**
     * The caller's server, decommissioned ones included; 404 when unknown or another tenant's.
     *
     * <p>A server registered a moment ago may not have reached the projection yet: one the projection does not know
     * is asked of server-registry and, when it is there, projected at once (with an unknown partition and the oldest
     * possible time, so its own server.registered still applies in full and starts its stream) — an action right after
     * {@code POST /servers} never gets a false 404. server-registry unreachable is a 503, not a 404.
     */
    @WithSession
    public Uni<Server> ofTenant(String tenant, UUID id) {
        return Server.<Server>findById(id)
                .chain(server -> server != null ? Uni.createFrom().item(server) : fromRegistry(id))
                .map(server -> server != null && server.tenant.equals(tenant) ? server : null)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No server " + id));
    }

    private Uni<Server> fromRegistry(UUID id) {
        Context context = Vertx.currentContext();
        Executor onContext = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        return Uni.createFrom().item(() -> registry.connection(id))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(onContext)
                .onFailure().transform(e -> ProblemException.unavailable("Server " + id
                        + " is not known here yet and server-registry cannot be asked now; try again shortly", Duration.ofSeconds(5)))
                .chain(details -> details.isEmpty() ? Uni.createFrom().<Server>nullItem() : project(details.get()));
    }

    /** Inserts the server unless its event got there first (then that row is the one). */
    private Uni<Server> project(RegisteredSource details) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into server (id, tenant, name, host, port, "
                        + "connection_method, firewall_confirmed, kafka_partition, updated_at) values (:id, :tenant, :name, :host, "
                        + ":port, :method, false, :partition, timestamptz '1970-01-01 00:00:00+00') on conflict (id) do nothing")
                .setParameter("id", details.serverId())
                .setParameter("tenant", details.tenant())
                .setParameter("name", details.name())
                .setParameter("host", details.host())
                .setParameter("port", details.port())
                .setParameter("method", details.connectionMethod() == null ? "direct" : details.connectionMethod())
                .setParameter("partition", PARTITION_UNKNOWN)
                .executeUpdate())
                .chain(() -> Server.<Server>findById(details.serverId()));
    }
}
