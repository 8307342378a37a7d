package dev.rewind.pitr.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import dev.rewind.testing.EventContracts;
import dev.rewind.testing.KafkaTopics;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What this service really sends on rewind.onboarding and rewind.anomalies keeps deploy/events (asyncapi.yaml's
 * headers, topics and keys, schemas/*.json): every onboarding step of a real source started and completed, the failed
 * steps of a source it cannot reach, and the binlog_gap anomaly of a stream that cannot resume where it stopped.
 */
@QuarkusTest
class EventContractTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Inject
    AgroalDataSource index;

    private static List<String> values(List<ConsumerRecord<String, String>> records, String field) {
        return records.stream().map(r -> JsonPath.from(r.value()).getString(field)).toList();
    }

    private static List<ConsumerRecord<String, String>> ofKey(List<ConsumerRecord<String, String>> records, UUID key) {
        return records.stream().filter(r -> key.toString().equals(r.key())).toList();
    }

    @Test
    void onboardingStepsAndABinlogGapKeepTheirContracts() throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, Sources.MARIADB, "acme");
        // a port nothing listens on: waiting_for_agent fails and is retried
        ServerRegistryStub.Connection nowhere = new ServerRegistryStub.Connection(UUID.randomUUID(), "acme", "nowhere",
                "127.0.0.1", 1, "rewind", "rewind", "direct", null);
        ServerEvents.registered(nowhere);
        try {
            // the stream stops and its checkpoint names a binlog the source no longer has, as after a purge (without
            // purging the shared source): started again, the stream records the gap and reports it
            supervisor.stop(server.serverId());
            try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "update stream_checkpoint set binlog_file = regexp_replace(binlog_file, '[0-9]+$', '000000') where server_id = ?")) {
                ps.setObject(1, server.serverId());
                assertEquals(1, ps.executeUpdate());
            }
            ServerEvents.registered(server); // a redelivery of the registration starts the stream again on the owner
            await().atMost(WAIT).until(() -> supervisor.streaming(server.serverId()));

            var steps = KafkaTopics.await("rewind.onboarding",
                    r -> Set.of(server.serverId().toString(), nowhere.serverId().toString()).contains(r.key()),
                    l -> ofKey(l, server.serverId()).size() >= 12 && values(ofKey(l, nowhere.serverId()), "status").contains("failed"),
                    WAIT);
            assertEquals(Set.of("onboarding.step"), Set.copyOf(EventContracts.assertValid(steps)));
            assertEquals(Set.of("started", "completed", "failed"), Set.copyOf(values(steps, "status")));
            assertTrue(values(ofKey(steps, server.serverId()), "step").contains("streaming"));

            var anomalies = KafkaTopics.await("rewind.anomalies", r -> server.serverId().toString().equals(r.key()),
                    l -> !l.isEmpty(), WAIT);
            assertEquals(List.of("anomaly.detected"), EventContracts.assertValid(anomalies));
            assertEquals(List.of("binlog_gap"), values(anomalies, "kind"));
            anomalies.forEach(r -> assertEquals("pitr-service", EventContracts.headers(r).get("ce_source")));
        } finally {
            ServerEvents.decommissioned(nowhere);
            ServerEvents.decommissioned(server);
        }
    }
}
