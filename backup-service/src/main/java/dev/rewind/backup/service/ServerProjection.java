package dev.rewind.backup.service;

import dev.rewind.backup.KnownServer;
import dev.rewind.source.RegisteredSource;
import dev.rewind.backup.client.ServerRegistryClient;
import dev.rewind.backup.messaging.ServerEventsListener.ServerChange;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.apache.kafka.common.utils.Utils;

/** The servers backup-service knows (projected from rewind.servers), and the tenant checks made against them. */
@ApplicationScoped
public class ServerProjection {

    private final ServerRegistryClient registry;

    public ServerProjection(ServerRegistryClient registry) {
        this.registry = registry;
    }

    /**
     * The server as server-registry knows it, projected now (its partition is filled in later, as for servers
     * projected before partitions were recorded); null when server-registry knows no such server.
     */
    private Uni<KnownServer> fromRegistry(UUID serverId) {
        Context context = Vertx.currentContext();
        Executor onContext = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        return Uni.createFrom().item(() -> registry.connection(serverId))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(onContext)
                .onFailure(ServerRegistryClient.UnknownServer.class).recoverWithNull()
                .onFailure(ServerRegistryClient.ConnectionUnavailable.class).transform(e -> ProblemException.unavailable(
                        "Server " + serverId + " is not known here yet and server-registry cannot be asked now; try again shortly",
                        Duration.ofSeconds(5)))
                .chain(connection -> connection == null ? Uni.createFrom().<KnownServer>nullItem() : project(connection));
    }

    /** Inserts the server unless its event got there first (then that row is the one). */
    private Uni<KnownServer> project(RegisteredSource connection) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into server (id, tenant, name, "
                        + "decommissioned, updated_at) values (:id, :tenant, :name, false, now()) on conflict (id) do nothing")
                .setParameter("id", connection.serverId())
                .setParameter("tenant", connection.tenant())
                .setParameter("name", connection.name())
                .executeUpdate())
                .chain(() -> KnownServer.<KnownServer>findById(connection.serverId()));
    }

    /** Applies one server event (inside the consumer's transaction). A decommissioned server stays decommissioned. */
    public Uni<Void> apply(ServerChange change) {
        return KnownServer.<KnownServer>findById(change.serverId()).chain(found -> {
            KnownServer server = found;
            if (server == null) {
                server = new KnownServer();
                server.id = change.serverId();
            }
            server.tenant = change.tenant();
            server.name = change.name();
            server.decommissioned = server.decommissioned || change.decommissioned();
            server.kafkaPartition = change.partition();
            server.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return found == null ? server.persist().replaceWithVoid() : Uni.createFrom().voidItem();
        });
    }

    /**
     * Gives servers projected before partitions were recorded the partition their events go to: the producer's
     * default partitioner's, murmur2 of the key (the server id) modulo the topic's partition count. Answers how many.
     */
    @WithTransaction
    public Uni<Integer> assignMissingPartitions(int partitionCount) {
        return KnownServer.<KnownServer>list("kafkaPartition is null").map(servers -> {
            servers.forEach(server -> server.kafkaPartition = partitionOf(server.id, partitionCount));
            return servers.size();
        });
    }

    /** The partition of rewind.servers a server's events go to (Kafka's default partitioner for its key). */
    public static int partitionOf(UUID serverId, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(serverId.toString().getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    /**
     * The caller's live server: 404 when unknown or another tenant's, 409 when decommissioned. Call in a session.
     *
     * <p>A server registered a moment ago may not have reached the projection yet: one the projection does not know
     * is asked of server-registry, and when it is there (and the caller's) it is projected at once — so an action right
     * after {@code POST /servers} never gets a false 404. server-registry unreachable is a 503, not a 404.
     */
    public Uni<KnownServer> liveServerOf(String tenant, UUID serverId) {
        return KnownServer.<KnownServer>findById(serverId)
                .chain(server -> server != null ? Uni.createFrom().item(server) : fromRegistry(serverId))
                .map(server -> server != null && server.tenant.equals(tenant) ? server : null)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No server " + serverId))
                .invoke(server -> {
                    if (server.decommissioned) {
                        throw ProblemException.conflict("Server " + serverId + " is decommissioned");
                    }
                });
    }
}
