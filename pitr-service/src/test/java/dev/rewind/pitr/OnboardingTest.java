package dev.rewind.pitr;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.commons.messaging.CloudEvent;
import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import dev.rewind.testing.KafkaTopics;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@io.quarkus.test.common.QuarkusTestResource(value = dev.rewind.pitr.support.RegistryPort.class, restrictToAnnotatedClass = false)
class OnboardingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STEPS = List.of("provisioning", "awaiting_firewall", "waiting_for_agent", "initializing",
            "snapshotting", "streaming");

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Test
    void registeredServerWalksEveryOnboardingStepToStreaming() throws Exception {
        ServerRegistryStub.Connection server = Streams.register(ownership, Sources.MARIADB, "acme", "direct");
        try {
            List<String> seen = awaitSteps(server, 12);
            assertThat(seen, is(STEPS.stream()
                    .flatMap(step -> java.util.stream.Stream.of(step + ":started", step + ":completed")).toList()));
            assertThat(supervisor.streaming(server.serverId()), is(true));
        } finally {
            ServerEvents.decommissioned(server);
        }
    }

    @Test
    void sshTunnelServerWaitsForTheFirewallConfirmation() throws Exception {
        ServerRegistryStub.Connection server = Streams.register(ownership, Sources.MYSQL8, "acme", "ssh_tunnel");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> steps(server).contains("awaiting_firewall:started"));
            assertThat(steps(server), not(hasItem("awaiting_firewall:completed")));
            assertThat(supervisor.streaming(server.serverId()), is(false));

            ServerEvents.firewallConfirmed(server);
            List<String> seen = awaitSteps(server, 12);
            assertThat(seen.subList(seen.size() - 2, seen.size()), contains("streaming:started", "streaming:completed"));
        } finally {
            ServerEvents.decommissioned(server);
        }
    }

    @Test
    void unreachableServerReportsTheFailedStepAndRetries() throws Exception {
        java.util.UUID id = java.util.UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).until(() -> !ownership.assignedPartitions().isEmpty());
        // a port nothing listens on: waiting_for_agent cannot reach the source
        ServerRegistryStub.Connection server = new ServerRegistryStub.Connection(id, "acme", "nowhere", "127.0.0.1", 1,
                "rewind", "rewind", "direct", null);
        ServerEvents.registered(server);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> events(server).stream()
                    .filter(e -> e.get("step").asText().equals("waiting_for_agent") && e.get("status").asText().equals("failed"))
                    .anyMatch(e -> e.get("attempt").asInt() >= 2));
            JsonNode failed = events(server).stream().filter(e -> e.get("status").asText().equals("failed")).findFirst().orElseThrow();
            assertThat(failed.get("error").asText(), not(blankOrNullString()));
            assertThat(failed.get("instance").asText(), is(supervisor.instance()));
        } finally {
            ServerEvents.decommissioned(server);
        }
    }

    private List<String> awaitSteps(ServerRegistryStub.Connection server, int count) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> steps(server).size() >= count);
        return steps(server);
    }

    static List<String> steps(ServerRegistryStub.Connection server) throws Exception {
        return events(server).stream().map(e -> e.get("step").asText() + ":" + e.get("status").asText()).toList();
    }

    static List<JsonNode> events(ServerRegistryStub.Connection server) throws Exception {
        List<ConsumerRecord<String, String>> records = KafkaTopics.read("rewind.onboarding",
                r -> server.serverId().toString().equals(r.key()), Duration.ofMillis(300));
        List<JsonNode> result = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            CloudEvent event = CloudEvent.from(r);
            assertThat(event.type(), is("dev.rewind.onboarding.step"));
            assertThat(event.tenant(), is(server.tenant()));
            result.add(JSON.readTree(r.value()));
        }
        return result;
    }
}
