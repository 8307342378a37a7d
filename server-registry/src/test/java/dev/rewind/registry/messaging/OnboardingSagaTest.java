package dev.rewind.registry.messaging;

import static dev.rewind.registry.Api.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.rewind.commons.messaging.ProcessedEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The onboarding saga with pitr-service's onboarding.step events written to the real rewind.onboarding topic. */
@QuarkusTest
class OnboardingSagaTest {

    private static final List<String> ORDER = List.of("provisioning", "awaiting_firewall", "waiting_for_agent",
            "initializing", "snapshotting", "streaming");

    private static OnboardingEvents events;

    @BeforeAll
    static void producer() {
        events = new OnboardingEvents();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    private static String directServer() {
        return register(admin(), unchecked(uniqueName("saga"), "pw-" + UUID.randomUUID()));
    }

    private static JsonPath awaitStatus(String id, Predicate<JsonPath> condition) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(150))
                .until(() -> onboardingStatus(id), condition);
    }

    private static Map<String, Object> step(JsonPath status, String name) {
        return status.getMap("steps.find { it.step == '" + name + "' }");
    }

    private static OffsetDateTime time(Object value) {
        return value == null ? null : OffsetDateTime.parse(value.toString());
    }

    @Test
    void stepsProgressInOrderWithTheirTimingsUntilTheServerIsActive() {
        String id = directServer();
        JsonPath initial = onboardingStatus(id);
        assertEquals(id, initial.getString("server_id"));
        assertEquals("provisioning", initial.getString("current_step"));
        assertEquals(ORDER, initial.getList("steps.step"));
        assertEquals(List.of("pending", "pending", "pending", "pending", "pending", "pending"), initial.getList("steps.status"));
        assertNull(initial.getString("error"));
        assertNull(initial.getString("agent_outbound_ip"));

        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        events.step(id, "acme", "provisioning", "started", 1, t0, null);
        events.step(id, "acme", "provisioning", "completed", 1, t0.plusSeconds(1), null);
        events.step(id, "acme", "waiting_for_agent", "started", 1, t0.plusSeconds(2), null);

        JsonPath midway = awaitStatus(id, s -> "started".equals(step(s, "waiting_for_agent").get("status")));
        assertEquals("waiting_for_agent", midway.getString("current_step"));
        Map<String, Object> provisioning = step(midway, "provisioning");
        assertEquals("completed", provisioning.get("status"));
        assertEquals(t0.toInstant(), time(provisioning.get("started_at")).toInstant());
        assertEquals(t0.plusSeconds(1).toInstant(), time(provisioning.get("completed_at")).toInstant());
        // a direct server does not wait for a firewall: the step completes when the next one starts
        Map<String, Object> firewall = step(midway, "awaiting_firewall");
        assertEquals("completed", firewall.get("status"));
        assertEquals(t0.plusSeconds(2).toInstant(), time(firewall.get("completed_at")).toInstant());
        assertEquals("pending", step(midway, "initializing").get("status"));
        assertEquals("onboarding", server(id).getString("status"));
        assertEquals("waiting_for_agent", server(id).getString("onboarding_step"));

        events.step(id, "acme", "waiting_for_agent", "completed", 1, t0.plusSeconds(3), null);
        events.step(id, "acme", "initializing", "started", 1, t0.plusSeconds(4), null);
        events.step(id, "acme", "initializing", "completed", 1, t0.plusSeconds(5), null);
        events.step(id, "acme", "snapshotting", "started", 1, t0.plusSeconds(6), null);
        events.step(id, "acme", "snapshotting", "completed", 1, t0.plusSeconds(7), null);
        events.step(id, "acme", "streaming", "started", 1, t0.plusSeconds(8), null);
        JsonPath streaming = awaitStatus(id, s -> "started".equals(step(s, "streaming").get("status")));
        assertEquals("streaming", streaming.getString("current_step"));
        assertEquals("onboarding", server(id).getString("status"));

        events.step(id, "acme", "streaming", "completed", 1, t0.plusSeconds(9), null);
        JsonPath done = awaitStatus(id, s -> "completed".equals(step(s, "streaming").get("status")));
        assertNull(done.getString("current_step"));
        assertNull(done.getString("error"));
        assertNull(done.getString("agent_outbound_ip"));
        assertEquals(ORDER, done.getList("steps.step"));
        OffsetDateTime previousEnd = null;
        for (String name : ORDER) {
            Map<String, Object> s = step(done, name);
            assertEquals("completed", s.get("status"), name);
            assertEquals(1, s.get("attempt"), name);
            OffsetDateTime started = time(s.get("started_at"));
            OffsetDateTime completed = time(s.get("completed_at"));
            assertFalse(completed.isBefore(started), name + " ends after it starts");
            if (previousEnd != null) {
                assertFalse(started.isBefore(previousEnd), name + " starts after the step before it ended");
            }
            previousEnd = completed;
        }
        assertEquals(t0.plusSeconds(9).toInstant(), time(step(done, "streaming").get("completed_at")).toInstant());
        JsonPath server = server(id);
        assertEquals("active", server.getString("status"));
        assertNull(server.getString("onboarding_step"));

        var updates = ofType(awaitRecords("rewind.servers", id,
                records -> ofType(records, "server.updated").stream().anyMatch(r -> r.value().contains("\"status\":\"active\""))),
                "server.updated");
        assertTrue(updates.stream().anyMatch(r -> JsonPath.from(r.value()).getList("changed").contains("status")));
    }

    @Test
    void anSshTunnelServerWaitsAtAwaitingFirewallUntilTheCustomerConfirms() {
        String id = register(admin(), tunnelled(uniqueName("tunnel"), "pw-" + UUID.randomUUID()));
        given().auth().oauth2(admin()).when().post("/servers/" + id + "/confirm-firewall")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("awaiting_firewall"));

        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        events.step(id, "acme", "provisioning", "started", 1, t0, null);
        events.step(id, "acme", "provisioning", "completed", 1, t0.plusSeconds(1), null);
        events.step(id, "acme", "awaiting_firewall", "started", 1, t0.plusSeconds(2), null);
        JsonPath waiting = awaitStatus(id, s -> "started".equals(step(s, "awaiting_firewall").get("status")));
        assertEquals("awaiting_firewall", waiting.getString("current_step"));
        assertEquals("127.0.0.1", waiting.getString("agent_outbound_ip"), "the configured outbound IP to whitelist");
        assertEquals("onboarding", server(id).getString("status"));
        assertFalse(server(id).getBoolean("firewall_confirmed"));

        given().when().post("/servers/" + id + "/confirm-firewall").then().statusCode(401);
        given().auth().oauth2(reader()).when().post("/servers/" + id + "/confirm-firewall").then().statusCode(403);
        given().auth().oauth2(globex()).when().post("/servers/" + id + "/confirm-firewall").then().statusCode(404);
        given().auth().oauth2(admin()).when().post("/servers/" + UUID.randomUUID() + "/confirm-firewall").then().statusCode(404);
        assertEquals("awaiting_firewall", onboardingStatus(id).getString("current_step"), "still waiting for the customer");

        given().auth().oauth2(admin()).when().post("/servers/" + id + "/confirm-firewall")
                .then().statusCode(200).body("status", is("confirmed"));

        JsonPath confirmed = onboardingStatus(id);
        assertEquals("completed", step(confirmed, "awaiting_firewall").get("status"));
        assertNotNull(step(confirmed, "awaiting_firewall").get("completed_at"));
        assertEquals("waiting_for_agent", confirmed.getString("current_step"));
        assertNull(confirmed.getString("agent_outbound_ip"));
        assertTrue(server(id).getBoolean("firewall_confirmed"));

        var updates = ofType(awaitRecords("rewind.servers", id,
                records -> !ofType(records, "server.updated").isEmpty()), "server.updated");
        JsonPath update = JsonPath.from(updates.get(updates.size() - 1).value());
        assertTrue(update.getBoolean("firewall_confirmed"));
        assertTrue(update.getList("changed").contains("firewall_confirmed"));
        assertFalse(update.getBoolean("connection_changed"));

        given().auth().oauth2(admin()).when().post("/servers/" + id + "/confirm-firewall")
                .then().statusCode(400).contentType("application/problem+json");

        events.step(id, "acme", "waiting_for_agent", "started", 1, t0.plusSeconds(30), null);
        awaitStatus(id, s -> "started".equals(step(s, "waiting_for_agent").get("status")));
    }

    @Test
    void onlyAnSshTunnelServerConfirmsAFirewall() {
        String id = directServer();
        given().auth().oauth2(admin()).when().post("/servers/" + id + "/confirm-firewall")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("ssh_tunnel"));
    }

    @Test
    void aFailedStepSurfacesItsErrorUntilARetrySucceeds() {
        String id = directServer();
        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        String error = "cannot create index tables: permission denied";
        events.step(id, "acme", "provisioning", "started", 1, t0, null);
        events.step(id, "acme", "provisioning", "completed", 1, t0.plusSeconds(1), null);
        events.step(id, "acme", "waiting_for_agent", "started", 1, t0.plusSeconds(2), null);
        events.step(id, "acme", "waiting_for_agent", "completed", 1, t0.plusSeconds(3), null);
        events.step(id, "acme", "initializing", "started", 1, t0.plusSeconds(4), null);
        events.step(id, "acme", "initializing", "failed", 1, t0.plusSeconds(5), error);

        JsonPath failed = awaitStatus(id, s -> "failed".equals(step(s, "initializing").get("status")));
        assertEquals(error, failed.getString("error"));
        assertEquals("initializing", failed.getString("current_step"));
        assertEquals(error, step(failed, "initializing").get("error"));
        assertEquals(t0.plusSeconds(5).toInstant(), time(step(failed, "initializing").get("failed_at")).toInstant());
        assertEquals("error", server(id).getString("status"));
        awaitRecords("rewind.servers", id, records -> ofType(records, "server.updated").stream()
                .anyMatch(r -> r.value().contains("\"status\":\"error\"")));

        events.step(id, "acme", "initializing", "started", 2, t0.plusSeconds(65), null);
        JsonPath retrying = awaitStatus(id, s -> "started".equals(step(s, "initializing").get("status")));
        assertNull(retrying.getString("error"));
        assertEquals(2, step(retrying, "initializing").get("attempt"));
        assertEquals("onboarding", server(id).getString("status"));

        events.step(id, "acme", "initializing", "completed", 2, t0.plusSeconds(66), null);
        // a late report of the first attempt changes nothing; the next step shows it was read
        events.step(id, "acme", "initializing", "failed", 1, t0.plusSeconds(5), error);
        events.step(id, "acme", "snapshotting", "started", 1, t0.plusSeconds(67), null);
        JsonPath recovered = awaitStatus(id, s -> "started".equals(step(s, "snapshotting").get("status")));
        assertEquals("completed", step(recovered, "initializing").get("status"));
        assertEquals(2, step(recovered, "initializing").get("attempt"));
        assertNull(recovered.getString("error"));
        assertEquals("onboarding", server(id).getString("status"));
    }

    @Test
    void theSameStepEventTwiceChangesNothing() throws Throwable {
        String id = directServer();
        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        String first = events.step(id, "acme", "provisioning", "started", 1, t0, null);
        events.step(id, "acme", "provisioning", "completed", 1, t0.plusSeconds(1), null);
        events.step(id, "acme", "waiting_for_agent", "started", 1, t0.plusSeconds(2), null);
        events.step(id, "acme", "waiting_for_agent", "completed", 1, t0.plusSeconds(3), null);
        JsonPath before = awaitStatus(id, s -> "completed".equals(step(s, "waiting_for_agent").get("status")));
        assertEquals("initializing", before.getString("current_step"));

        // redelivered: were it applied again, "provisioning started" would begin a new round and drop the later steps
        events.send(first, id, "acme", "provisioning", "started", 1, t0, null);
        events.step(id, "acme", "initializing", "started", 1, t0.plusSeconds(4), null);
        JsonPath after = awaitStatus(id, s -> "started".equals(step(s, "initializing").get("status")));

        for (String name : List.of("provisioning", "awaiting_firewall", "waiting_for_agent")) {
            assertEquals(step(before, name), step(after, name), name + " is unchanged");
        }
        long marks = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> ProcessedEvent.count(
                "key.consumer = ?1 and key.eventId = ?2", OnboardingStepListener.CONSUMER, first)));
        assertEquals(1, marks);
    }

    @Test
    void unreadableOrForeignEventsAreSkippedAndTheConsumerGoesOn() {
        String id = directServer();
        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        events.raw(UUID.randomUUID().toString(), id, "acme", "dev.rewind.onboarding.step", "{not json");
        events.raw(UUID.randomUUID().toString(), id, "acme", "dev.rewind.onboarding.step",
                "{\"server_id\":\"" + id + "\",\"step\":\"teleporting\",\"status\":\"started\"}");
        events.step(id, "globex", "provisioning", "failed", 1, t0, "another tenant's report");
        events.step(UUID.randomUUID().toString(), "acme", "provisioning", "started", 1, t0, null);
        events.step(id, "acme", "provisioning", "started", 1, t0.plusSeconds(1), null);

        JsonPath status = awaitStatus(id, s -> "started".equals(step(s, "provisioning").get("status")));
        assertNull(status.getString("error"), "the report naming another tenant was not applied");
        assertEquals("onboarding", server(id).getString("status"));
    }

    @Test
    void onboardingStatusNeedsReadPermissionAndTheTenantsServer() {
        String id = directServer();
        given().when().get("/servers/" + id + "/onboarding-status").then().statusCode(401);
        given().auth().oauth2(norole()).when().get("/servers/" + id + "/onboarding-status")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(globex()).when().get("/servers/" + id + "/onboarding-status")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(reader()).when().get("/servers/" + UUID.randomUUID() + "/onboarding-status").then().statusCode(404);
        given().auth().oauth2(reader()).when().get("/servers/nope/onboarding-status").then().statusCode(404);
    }
}
