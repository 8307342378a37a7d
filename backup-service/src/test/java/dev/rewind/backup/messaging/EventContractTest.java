package dev.rewind.backup.messaging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.testing.EventContracts;
import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What this service really sends on rewind.backups and rewind.audit keeps deploy/events (asyncapi.yaml's headers,
 * topics and keys, schemas/*.json): real backups of the MariaDB and MySQL 8 sources, one that fails, a deletion and a
 * schedule's life.
 */
@QuarkusTest
class EventContractTest {

    private static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static List<String> values(List<ConsumerRecord<String, String>> records, String field) {
        return records.stream().map(r -> JsonPath.from(r.value()).getString(field)).toList();
    }

    /** A completed backup of a fresh schema on the source at {@code port}, then deleted; answers the backup id. */
    private static String backedUpAndDeleted(UUID server, String portVariable) {
        String id;
        try (SourceSchema schema = SourceSchema.withSampleData(Integer.parseInt(LocalStack.env(portVariable)))) {
            JsonPath entry = Backups.awaitFinished(Backups.requestOf(server, schema.name), ADMIN);
            assertEquals("completed", entry.getString("status"), () -> "error: " + entry.getString("error_message"));
            id = entry.getString("id");
        }
        given().auth().oauth2(ADMIN).when().delete("/backup/history/" + id).then().statusCode(204);
        return id;
    }

    @Test
    void everyEventOfBackupsAndSchedulesKeepsItsContract() {
        UUID mariadb = TestServers.mariadb("acme");
        UUID mysql8 = TestServers.mysql8("acme");
        UUID refused = TestServers.register("acme", "wrong-password", "127.0.0.1",
                Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT")), LocalStack.env("REWIND_SOURCE_USER"), "not-the-password");

        List<String> audited = new ArrayList<>();
        audited.add(backedUpAndDeleted(mariadb, "REWIND_MARIADB_PORT"));
        audited.add(backedUpAndDeleted(mysql8, "REWIND_MYSQL8_PORT"));
        UUID failed = Backups.requestOf(refused, "shop");
        assertEquals("failed", Backups.awaitFinished(failed, ADMIN).getString("status"));
        audited.add(failed.toString());

        String schedule = given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"%s\",\"schedule_cron\":\"0 3 * * *\",\"retention_days\":7}".formatted(mariadb))
                .when().post("/backup/schedules").then().statusCode(201).extract().path("id");
        given().auth().oauth2(ADMIN).contentType("application/json").body("{\"enabled\":false}")
                .when().patch("/backup/schedules/" + schedule).then().statusCode(200);
        given().auth().oauth2(ADMIN).when().delete("/backup/schedules/" + schedule).then().statusCode(204);
        audited.add(schedule);

        Set<String> servers = Set.of(mariadb.toString(), mysql8.toString(), refused.toString());
        var backups = KafkaTopics.await("rewind.backups", r -> servers.contains(r.key()),
                l -> Set.copyOf(values(l, "backup_id")).size() == 3 && l.size() >= 8, WAIT);
        assertEquals(Set.of("backup.started", "backup.completed", "backup.failed", "backup.deleted"),
                Set.copyOf(EventContracts.assertValid(backups)));

        var audit = KafkaTopics.await("rewind.audit", r -> audited.contains(r.key()), l -> l.size() >= 8, WAIT);
        assertEquals(Set.of("audit.recorded"), Set.copyOf(EventContracts.assertValid(audit)));
        assertEquals(Set.of("backup.requested", "backup.deleted", "backup.schedule.created", "backup.schedule.updated",
                "backup.schedule.deleted"), Set.copyOf(values(audit, "action")));
        audit.forEach(r -> assertEquals("backup-service", EventContracts.headers(r).get("ce_source")));
    }
}
