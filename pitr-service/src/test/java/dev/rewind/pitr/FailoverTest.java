package dev.rewind.pitr;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.client.ServerRegistryClient;
import dev.rewind.pitr.config.PitrConfig;
import dev.rewind.pitr.index.StreamStore;
import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.GapService;
import dev.rewind.pitr.service.OnboardingReporter;
import dev.rewind.pitr.service.ServerProjectionService;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Two instances in one consumer group split the servers by partition; when one leaves, the other takes its servers
 * over and resumes from their checkpoints with nothing lost and nothing twice.
 */
@QuarkusTest
class FailoverTest {

    private static final int PARTITIONS = 6;

    @Inject ServerOwnership ownership;
    @Inject StreamSupervisor supervisor;
    @Inject PitrConfig config;
    @Inject ServerRegistryClient registry;
    @Inject StreamStore store;
    @Inject OnboardingReporter reporter;
    @Inject GapService gaps;
    @Inject ServerProjectionService projection;
    @Inject AgroalDataSource index;
    @Inject dev.rewind.source.SourceAddresses addresses;
    @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap;

    @Test
    void serversAreSplitBetweenInstancesAndMoveToTheSurvivor() throws Exception {
        StreamSupervisor secondSupervisor = new StreamSupervisor(config, registry, store, reporter, gaps, new SimpleMeterRegistry(),
                addresses, "second-instance");
        ServerOwnership second = new ServerOwnership(config, projection, secondSupervisor, bootstrap);
        second.start();
        String schema = Sources.MARIADB.createSchema();
        ServerRegistryStub.Connection onFirst = null;
        ServerRegistryStub.Connection onSecond = null;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !second.assignedPartitions().isEmpty()
                    && !ownership.assignedPartitions().isEmpty()
                    && ownership.assignedPartitions().size() + second.assignedPartitions().size() == PARTITIONS);
            Set<Integer> firstPartitions = ownership.assignedPartitions();
            onFirst = server(firstPartitions, true);
            onSecond = server(firstPartitions, false);
            ServerEvents.registered(onFirst);
            ServerEvents.registered(onSecond);
            UUID a = onFirst.serverId();
            UUID b = onSecond.serverId();
            await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.streaming(a) && secondSupervisor.streaming(b));
            assertThat(supervisor.running(b), is(false));
            assertThat(secondSupervisor.running(a), is(false));

            Sources.MARIADB.execute("use " + schema, "create table t (id int primary key)");
            for (int i = 1; i <= 50; i++) {
                Sources.MARIADB.execute("use " + schema, "insert into t values (" + i + ")");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> indexed(a, schema) == 50 && indexed(b, schema) == 50);

            second.stop(); // the second instance leaves: its partitions, and server b, move to the first
            await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.streaming(b));
            for (int i = 51; i <= 100; i++) {
                Sources.MARIADB.execute("use " + schema, "insert into t values (" + i + ")");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> indexed(a, schema) == 100 && indexed(b, schema) == 100);
            assertThat(distinct(b, schema), is(100L));
        } finally {
            second.stop();
            Sources.MARIADB.dropSchema(schema);
            if (onFirst != null) {
                ServerEvents.decommissioned(onFirst);
            }
            if (onSecond != null) {
                ServerEvents.decommissioned(onSecond);
            }
        }
    }

    /** A server whose key lands in (or out of) the given partitions, as Kafka's default partitioner places it. */
    private static ServerRegistryStub.Connection server(Set<Integer> partitions, boolean inside) {
        while (true) {
            UUID id = UUID.randomUUID();
            int partition = Utils.toPositive(Utils.murmur2(id.toString().getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (partitions.contains(partition) == inside) {
                return Sources.MARIADB.connection(id, "acme", "db-" + id.toString().substring(0, 6), "direct");
            }
        }
    }

    private long indexed(UUID server, String schema) throws Exception {
        return count("select count(*) from row_event where server_id = ? and schema_name = ?", server, schema);
    }

    private long distinct(UUID server, String schema) throws Exception {
        return count("select count(distinct pk) from row_event where server_id = ? and schema_name = ?", server, schema);
    }

    private long count(String sql, UUID server, String schema) throws Exception {
        try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, server);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
