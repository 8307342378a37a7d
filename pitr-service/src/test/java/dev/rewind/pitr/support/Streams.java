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

    /** A registered server whose binlog stream is live. */
    public static ServerRegistryStub.Connection streaming(ServerOwnership ownership, StreamSupervisor supervisor, Sources source,
            String tenant) {
        ServerRegistryStub.Connection server = register(ownership, source, tenant, "direct");
        await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.streaming(server.serverId()));
        return server;
    }
}
