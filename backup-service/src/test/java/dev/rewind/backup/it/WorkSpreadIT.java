package dev.rewind.backup.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.backup.service.ServerProjection;
import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.ServiceProcess;
import dev.rewind.testing.Tokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Backup work spread by the consumer group of rewind.servers: two packaged processes split the topic's partitions,
 * each runs the backups of the servers whose partition it holds (whichever process took the request), and when one
 * leaves, the other takes its servers over.
 */
class WorkSpreadIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    @Test
    void eachProcessRunsTheBackupsOfItsOwnServersAndTheSurvivorTakesOverTheLeaversServers() throws Exception {
        int mariadb = Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT"));
        ServiceProcess first = null;
        ServiceProcess second = null;
        try (ItDatabase database = new ItDatabase(run); RegistryStandIn registry = new RegistryStandIn();
                SourceSchema schema = SourceSchema.withSampleData(mariadb)) {
            Map<String, String> env = Map.of("REWIND_DATABASE", database.name,
                    "MP_MESSAGING_INCOMING_SERVERS_GROUP_ID", "backup-service-it-" + run,
                    "REWIND_SERVER_REGISTRY_URL", registry.url(),
                    "REWIND_BACKUP_WORKER_POLL_INTERVAL", "1s");
            first = BackupProcess.start("backup-spread-" + run + "-1", env);
            first.awaitReady();
            second = BackupProcess.start("backup-spread-" + run + "-2", env);
            second.awaitReady();
            ServiceProcess one = first;
            ServiceProcess two = second;

            // the group settles: the two hold disjoint, non-empty sets of partitions that together cover the topic
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Set<Integer> a = partitions(one);
                Set<Integer> b = partitions(two);
                Set<Integer> all = new HashSet<>(a);
                all.addAll(b);
                return !a.isEmpty() && !b.isEmpty() && all.size() == a.size() + b.size() && all.size() == partitionCount(one);
            });
            int count = partitionCount(one);
            Set<Integer> ofFirst = partitions(one);

            // two servers on each process's partitions (the producer keys rewind.servers by server id)
            Map<UUID, ServiceProcess> owners = new LinkedHashMap<>();
            Map<ServiceProcess, Integer> perProcess = new HashMap<>();
            while (owners.size() < 4) {
                UUID server = UUID.randomUUID();
                ServiceProcess owner = ofFirst.contains(ServerProjection.partitionOf(server, count)) ? first : second;
                if (perProcess.merge(owner, 1, Integer::sum) <= 2) {
                    owners.put(server, owner);
                }
            }
            for (UUID server : owners.keySet()) {
                registry.add(server);
                TestServers.announceRegistered(server, "acme", "spread-" + server.toString().substring(0, 8), "127.0.0.1", mariadb);
            }
            for (UUID server : owners.keySet()) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                        .until(() -> database.value("select kafka_partition from server where id = ?", server) != null);
                assertEquals(ServerProjection.partitionOf(server, count), database.value("select kafka_partition from server where id = ?", server),
                        "the projection records the partition the server's events arrive on");
            }

            // every request goes to the first process; each backup runs on its server's owner
            String token = Tokens.user(Tokens.ACME_ADMIN);
            List<UUID> backups = new ArrayList<>();
            for (UUID server : owners.keySet()) {
                backups.add(requestBackup(first, token, server, schema.name));
            }
            awaitCompleted(database, backups);
            List<UUID> servers = List.copyOf(owners.keySet());
            for (int i = 0; i < backups.size(); i++) {
                assertEquals(owners.get(servers.get(i)).name(), database.value("select claimed_by from backup where id = ?", backups.get(i)),
                        "the backup of " + servers.get(i) + " ran on the process holding its partition");
            }

            // the second leaves the group; the first takes over its partitions and runs its servers' backups
            second.close();
            second = null;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> partitions(one).size() == count);
            List<UUID> takenOver = new ArrayList<>();
            for (UUID server : servers) {
                if (owners.get(server) == two) {
                    takenOver.add(requestBackup(first, token, server, schema.name));
                }
            }
            assertThat(takenOver, hasSize(2));
            awaitCompleted(database, takenOver);
            for (UUID backup : takenOver) {
                assertEquals(first.name(), database.value("select claimed_by from backup where id = ?", backup));
            }
        } finally {
            if (second != null) {
                second.close();
            }
            if (first != null) {
                first.close();
            }
        }
    }

    private static UUID requestBackup(ServiceProcess process, String token, UUID server, String schema) throws Exception {
        HttpResponse<String> accepted = process.send("POST", "/backup", token,
                "{\"server_id\":\"%s\",\"databases\":[\"%s\"],\"verify\":false}".formatted(server, schema));
        assertEquals(202, accepted.statusCode(), accepted.body());
        return UUID.fromString(JSON.readTree(accepted.body()).get("backup_id").asText());
    }

    private static void awaitCompleted(ItDatabase database, List<UUID> backups) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (UUID backup : backups) {
                Object status = database.value("select status from backup where id = ?", backup);
                assertThat("backup " + backup + ": " + database.value("select error_message from backup where id = ?", backup),
                        status, not(equalTo("failed")));
                if (!"completed".equals(status)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The partitions of rewind.servers the process holds, from its readiness check. */
    private static Set<Integer> partitions(ServiceProcess process) throws Exception {
        String text = work(process).path("partitions").asText("");
        return text.isEmpty() ? Set.of() : Arrays.stream(text.split(",")).map(Integer::valueOf).collect(Collectors.toSet());
    }

    private static int partitionCount(ServiceProcess process) throws Exception {
        return work(process).path("partition_count").asInt();
    }

    private static JsonNode work(ServiceProcess process) throws Exception {
        String health = process.get("/q/health/ready");
        for (JsonNode check : JSON.readTree(health).path("checks")) {
            if ("backup-work".equals(check.path("name").asText())) {
                return check.path("data");
            }
        }
        throw new AssertionError("no backup-work check in " + health);
    }
}
