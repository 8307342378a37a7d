package dev.rewind.pitr.it;

import static org.awaitility.Awaitility.await;

import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The pitr-service processes of one IT run and what only they share: their own database (created here, dropped at the
 * end), their own consumer group on rewind.servers and the server-registry stub. Another run, a running service or
 * the module's @QuarkusTest instances (on pitr_service_test) never see this run's projection, checkpoints or index.
 */
final class Cluster implements AutoCloseable {

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String database = "pitr_service_it_" + run;
    private final RegistryStub registry;
    private final IndexDb index;
    private final List<PitrProcess> processes = new ArrayList<>();

    Cluster() throws Exception {
        IndexDb.admin("create database " + database);
        registry = new RegistryStub();
        index = new IndexDb(database);
    }

    IndexDb index() {
        return index;
    }

    /** Starts a process named {@code pitr-it-<run>-<name>} and waits until it is ready and holds partitions. */
    PitrProcess start(String name) {
        PitrProcess process = launch(name);
        process.awaitReady();
        return process;
    }

    /** Starts a process with this heap ({@code -Xmx}) and waits until it is ready and holds partitions. */
    PitrProcess start(String name, String maxHeap) {
        PitrProcess process = launch(name, maxHeap);
        process.awaitReady();
        return process;
    }

    /** Starts a process without waiting for it. */
    PitrProcess launch(String name) {
        return launch(name, "384m");
    }

    private PitrProcess launch(String name, String maxHeap) {
        String group = "pitr-service-it-" + run;
        PitrProcess process = PitrProcess.launch("pitr-it-" + run + "-" + name, Map.of(
                "REWIND_DATABASE", database,
                "REWIND_SERVER_REGISTRY_URL", registry.url(),
                "REWIND_PITR_OWNERSHIP_GROUP", group,
                // a new group starts at the end of rewind.servers: this run's servers, none of the topic's history
                "REWIND_PITR_OWNERSHIP_AUTO_OFFSET_RESET", "latest",
                "MP_MESSAGING_INCOMING_BACKUPS_GROUP_ID", group + "-baselines",
                "MP_MESSAGING_INCOMING_BACKUPS_AUTO_OFFSET_RESET", "latest",
                "REWIND_PITR_ONBOARDING_RETRY_DELAY", "500ms",
                "REWIND_PITR_STREAM_RETRY_DELAY", "500ms"), maxHeap);
        processes.add(process);
        return process;
    }

    /**
     * Registers the server as server-registry does (server.registered on rewind.servers) and waits until its owner
     * runs a stream of it. An owner just assigned its partitions may still be fixing its start offsets: the event is
     * sent again (an idempotent update for the owner) until the owner has it.
     */
    void register(Connection server, PitrProcess owner) {
        registry.add(server);
        for (int attempt = 1; ; attempt++) {
            ServerEvents.registered(server);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> owner.runs(server.serverId()));
                return;
            } catch (ConditionTimeoutException e) {
                if (attempt == 4) {
                    throw new IllegalStateException(owner.instance() + " never started a stream of " + server.serverId() + ":\n"
                            + owner.tail(), e);
                }
            }
        }
    }

    /**
     * Cleanup: decommissions the server while a process of the run still reads rewind.servers, and waits until the
     * projection says so. Never fails the test.
     */
    void decommission(Connection server) {
        if (processes.stream().noneMatch(PitrProcess::alive)) {
            return;
        }
        try {
            ServerEvents.decommissioned(server);
            await().atMost(Duration.ofSeconds(30)).until(() -> index.decommissioned(server.serverId()));
        } catch (RuntimeException e) {
            System.err.println("could not decommission " + server.serverId() + ": " + e.getMessage());
        }
    }

    /** Stops the processes still running (SIGTERM), the stub, and drops the run's database. */
    @Override
    public void close() throws Exception {
        for (PitrProcess p : processes) {
            p.close();
        }
        registry.close();
        IndexDb.admin("drop database if exists " + database + " with (force)");
    }
}
