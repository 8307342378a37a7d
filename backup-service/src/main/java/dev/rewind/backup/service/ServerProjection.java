package dev.rewind.backup.service;

import dev.rewind.backup.KnownServer;
import dev.rewind.backup.messaging.ServerEventsListener.ServerChange;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;

/** The servers backup-service knows (projected from rewind.servers), and the tenant checks made against them. */
@ApplicationScoped
public class ServerProjection {

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

    /** The caller's live server: 404 when unknown or another tenant's, 409 when decommissioned. Call in a session. */
    public Uni<KnownServer> liveServerOf(String tenant, UUID serverId) {
        return KnownServer.<KnownServer>findById(serverId)
                .map(server -> server != null && server.tenant.equals(tenant) ? server : null)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No server " + serverId))
                .invoke(server -> {
                    if (server.decommissioned) {
                        throw ProblemException.conflict("Server " + serverId + " is decommissioned");
                    }
                });
    }
}
