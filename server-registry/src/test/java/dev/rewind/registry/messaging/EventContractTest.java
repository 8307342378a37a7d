package dev.rewind.registry.messaging;

import static dev.rewind.registry.Api.*;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

import dev.rewind.testing.EventContracts;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What this service really sends on rewind.servers and rewind.audit matches deploy/events/schemas. */
@QuarkusTest
class EventContractTest {

    @Test
    void everyEventOfAServersLifeMatchesItsSchema() throws Exception {
        String id = register(admin(), unchecked(uniqueName("contract"), "pw-" + UUID.randomUUID()));
        try (OnboardingEvents events = new OnboardingEvents()) {
            OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC);
            int i = 0;
            for (String step : List.of("provisioning", "waiting_for_agent", "initializing", "snapshotting", "streaming")) {
                events.step(id, "acme", step, "started", 1, t0.plusSeconds(i++), null);
                events.step(id, "acme", step, "completed", 1, t0.plusSeconds(i++), null);
            }
        }
        awaitRecords("rewind.servers", id, r -> !ofType(r, "server.updated").isEmpty()); // active: onboarding_step null
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("port", 3310, "skip_checks", true))
                .when().patch("/servers/" + id).then().statusCode(200);
        given().auth().oauth2(Tokens.service("pitr-service")).when().get("/internal/servers/" + id + "/connection").then().statusCode(200);
        given().auth().oauth2(admin()).when().delete("/servers/" + id).then().statusCode(204);

        var servers = awaitRecords("rewind.servers", id, r -> !ofType(r, "server.decommissioned").isEmpty());
        var audit = awaitRecords("rewind.audit", id, r -> r.size() >= 4);
        assertEquals(1, ofType(servers, "server.registered").size());
        assertEquals(2, ofType(servers, "server.updated").size(), "active, then the port change");
        List<ConsumerRecord<String, String>> all = new ArrayList<>(servers);
        all.addAll(audit);
        for (ConsumerRecord<String, String> record : all) {
            EventContracts.assertValid(record);
            assertEquals("server-registry", header(record, "ce_source"));
            assertEquals("acme", header(record, "ce_tenant"));
            assertEquals(id, header(record, "ce_subject"));
        }
    }
}
