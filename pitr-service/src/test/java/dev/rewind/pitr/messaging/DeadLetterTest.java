package dev.rewind.pitr.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import dev.rewind.testing.EventContracts;
import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A poison event — valid to read, but its effect fails every time while the database answers (here a backup path
 * longer than the baselines table takes) — is set aside on rewind.dead-letters after a bounded number of tries, with
 * its record and the error, and counted; the events behind it on its partition are applied instead of waiting forever.
 */
@QuarkusTest
class DeadLetterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Test
    void aPoisonEventGoesToTheDeadLettersAndTheEventsBehindItAreApplied() throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, Sources.MARIADB, "acme");
        try {
            UUID poison = UUID.randomUUID();
            UUID next = UUID.randomUUID();
            OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
            String base = "s3://rewind-backups/backups/acme/" + server.serverId() + "/";
            ServerEvents.backupCompleted(poison, server.serverId(), "acme", at, base + "x".repeat(1500) + "/", "mysql-bin.000003",
                    4242L, null);
            // the same server: the same key, the same partition, behind the poison
            ServerEvents.backupCompleted(next, server.serverId(), "acme", at.plusSeconds(1), base + "next/", "mysql-bin.000003",
                    4343L, null);

            await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                    .when().get("/servers/" + server.serverId() + "/pitr/coverage").then().statusCode(200).extract()
                    .jsonPath().getList("baselines.backup_id").contains(next.toString()));

            var letters = KafkaTopics.await("rewind.dead-letters", r -> server.serverId().toString().equals(r.key()),
                    found -> !found.isEmpty(), Duration.ofSeconds(30));
            assertThat(EventContracts.assertValid(letters), contains("dead.letter"));
            JsonNode letter = JSON.readTree(letters.get(0).value());
            assertThat(letter.get("consumer").asText(), is("pitr-service.baselines"));
            assertThat(letter.get("topic").asText(), is("rewind.backups"));
            assertThat(letter.get("attempts").asInt(), is(5));
            assertThat(letter.get("error").asText(), not(emptyString()));
            assertThat(JSON.readTree(letter.get("value").asText()).get("backup_id").asText(), is(poison.toString()));
            assertThat(given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                    .when().get("/servers/" + server.serverId() + "/pitr/coverage").then().extract().jsonPath()
                    .getList("baselines.backup_id"), not(hasItem(poison.toString())));
            assertThat(given().when().get("/q/metrics").asString(), matchesRegex("(?s).*rewind_consumer_dead_letters_total\\{"
                    + "[^}]*consumer=\"pitr-service.baselines\"[^}]*\\} [1-9].*"));
        } finally {
            ServerEvents.decommissioned(server);
        }
    }
}
