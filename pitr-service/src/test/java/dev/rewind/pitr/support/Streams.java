package dev.rewind.pitr.support;

import static org.awaitility.Awaitility.await;

import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import java.time.Duration;
import java.util.UUID;

/** Registers servers the way server-registry does and waits until pitr-service streams them. */
public final class Streams {

    private Streams() {
    }

    public static ServerRegistryStub.Connection register(ServerOwnership ownership, Sources source, String tenant, String method) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !ownership.assignedPartitions().isEmpty());
        UUID id = UUID.randomUUID();
        ServerRegistryStub.Connection server = source.connection(id, tenant, "db-" + id.toString().substring(0, 6), method);
        ServerEvents.registered(server);
        return server;
    }

    private static boolean picked(StreamSupervisor supervisor, ServerRegistryStub.Connection server, Duration within) {
        try {
            await().atMost(within).until(() -> supervisor.running(server.serverId()));
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    /** A registered server whose binlog stream is live. */
    public static ServerRegistryStub.Connection streaming(ServerOwnership ownership, StreamSupervisor supervisor, Sources source,
            String tenant) {
        ServerRegistryStub.Connection server = register(ownership, source, tenant, "direct");
        // a consumer group that has just been assigned its partitions may still be looking up where "latest" is: an event
        // sent in that moment is behind its start. Send it again until the server is picked up (registering is idempotent).
        for (int attempt = 0; attempt < 3 && !picked(supervisor, server, Duration.ofSeconds(10)); attempt++) {
            ServerEvents.registered(server);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.streaming(server.serverId()));
        return server;
    }
}
