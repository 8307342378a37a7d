package dev.rewind.backup.service;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backup.Backup;
import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.TestServers;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The trigger fires each due time exactly once. "Two instances" here are two concurrent triggers in this JVM, each
 * in its own transaction on its own database connection (plus the application's own periodic trigger): what makes
 * it exactly-once is the row lock with SKIP LOCKED and next_run moving on in the same transaction, which is the
 * same whether the contenders are threads or separate processes.
 */
@QuarkusTest
class ScheduleTriggerTest {

    static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);

    @Inject
    ScheduleService schedules;

    static UUID schedule(UUID server, String cron) {
        return UUID.fromString(given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"" + server + "\",\"schedule_cron\":\"" + cron + "\"}")
                .when().post("/backup/schedules").then().statusCode(201).extract().path("id"));
    }

    static void makeDue(UUID scheduleId) {
        Backups.sql("update backup_schedule set next_run = now() - interval '1 second' where id = ?1", scheduleId);
    }

    @Test
    void aScheduleWhoseLastBackupIsStillQueuedIsNotQueuedAgain() {
        UUID server = TestServers.withoutConnection("acme");
        UUID id = schedule(server, "0 0 1 1 *");
        // no instance holds this partition: the backup stays queued, as behind a long backup of the same server
        Backups.sql("update server set kafka_partition = 996 where id = ?1", server);
        makeDue(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> Backups.ofSchedule(id).size() == 1);

        makeDue(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(ADMIN).when().get("/backup/schedules/" + id)
                .then().statusCode(200).extract().<String>path("next_run").startsWith(
                        String.valueOf(java.time.Year.now(java.time.ZoneOffset.UTC).getValue() + 1)));
        Backups.db(() -> schedules.fireDue(50));
        List<Backup> backups = Backups.ofSchedule(id);
        assertEquals(1, backups.size(), "one queued backup, not a pile");
        assertThat(backups.get(0).phase, is("queued"));
        Backups.sql("update backup set status = 'failed', phase = 'failed' where schedule_id = ?1", id);
    }

    @Test
    void twoTriggersRacingForTheSameDueSchedulesQueueExactlyOneBackupEach() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(schedule(TestServers.withoutConnection("acme"), "0 0 1 1 *"));
        }
        ids.forEach(ScheduleTriggerTest::makeDue);

        ExecutorService instances = Executors.newFixedThreadPool(2);
        CyclicBarrier start = new CyclicBarrier(2);
        Callable<Integer> instance = () -> {
            start.await();
            int fired = 0;
            for (int round = 0; round < 5; round++) {
                fired += Backups.db(() -> schedules.fireDue(50)).stream().filter(b -> ids.contains(b.scheduleId)).count();
            }
            return fired;
        };
        Future<Integer> a = instances.submit(instance);
        Future<Integer> b = instances.submit(instance);
        int firedHere = a.get() + b.get();
        instances.shutdown();

        // the app's own trigger may hold a claim whose transaction commits a little later: wait for every schedule
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> !Backups.ofSchedule(id).isEmpty()));
        Backups.db(() -> schedules.fireDue(50)); // one more round from each contender finds nothing due
        Backups.db(() -> schedules.fireDue(50));
        for (UUID id : ids) {
            List<Backup> queued = Backups.ofSchedule(id);
            assertEquals(1, queued.size(), "backups of schedule " + id);
        }
        assertThat(firedHere, lessThanOrEqualTo(ids.size()));
        for (UUID id : ids) {
            given().auth().oauth2(ADMIN).when().get("/backup/schedules/" + id).then().statusCode(200)
                    .body("last_run", notNullValue()).body("next_run", endsWith("-01-01T00:00:00Z"));
        }
    }

    @Test
    void disabledScheduleAndDecommissionedServerNeverFire() {
        UUID disabled = schedule(TestServers.withoutConnection("acme"), "*/5 * * * *");
        given().auth().oauth2(ADMIN).contentType("application/json").body("{\"enabled\":false}")
                .when().patch("/backup/schedules/" + disabled).then().statusCode(200);
        UUID server = TestServers.withoutConnection("acme");
        UUID orphaned = schedule(server, "*/5 * * * *");
        TestServers.decommission(server, "acme");
        UUID live = schedule(TestServers.withoutConnection("acme"), "*/5 * * * *");
        makeDue(disabled);
        makeDue(orphaned);
        makeDue(live);

        await().atMost(Duration.ofSeconds(20)).until(() -> !Backups.ofSchedule(live).isEmpty());
        Backups.db(() -> schedules.fireDue(50));
        assertThat(Backups.ofSchedule(disabled), empty());
        assertThat(Backups.ofSchedule(orphaned), empty());
    }

    @Test
    void aFailedScheduledBackupIsRecordedAsTheSchedulesLastStatus() {
        UUID scheduleId = schedule(TestServers.withoutConnection("acme"), "0 0 1 1 *");
        makeDue(scheduleId);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Backup> runs = Backups.ofSchedule(scheduleId);
            return !runs.isEmpty() && runs.get(0).status.equals("failed");
        });
        Backup failed = Backups.ofSchedule(scheduleId).get(0);
        assertThat(failed.errorMessage, containsString("server-registry knows no server"));
        given().auth().oauth2(ADMIN).when().get("/backup/schedules/" + scheduleId).then().statusCode(200)
                .body("last_status", is("failed"));
    }
}
