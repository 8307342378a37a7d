package dev.rewind.backup.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.ServiceProcess;
import dev.rewind.testing.Tokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two packaged backup-service processes on one database, both triggering schedules every second: a due schedule
 * gives exactly one backup per due time, whichever process claims it.
 */
class ScheduleTwoProcessIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    @Test
    void aDueScheduleGivesExactlyOneBackupPerDueTimeWithTwoProcessesRunning() throws Exception {
        int mariadb = Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT"));
        UUID server = UUID.randomUUID();
        List<ServiceProcess> processes = new ArrayList<>();
        try (ItDatabase database = new ItDatabase(run); RegistryStandIn registry = new RegistryStandIn();
                SourceSchema schema = SourceSchema.withSampleData(mariadb)) {
            registry.add(server);
            Map<String, String> env = Map.of("REWIND_DATABASE", database.name,
                    "MP_MESSAGING_INCOMING_SERVERS_GROUP_ID", "backup-service-it-" + run,
                    "REWIND_SERVER_REGISTRY_URL", registry.url(),
                    "REWIND_BACKUP_SCHEDULES_POLL_INTERVAL", "1s",
                    "REWIND_BACKUP_WORKER_POLL_INTERVAL", "1s");
            // the first migrates the database; the second starts on it
            processes.add(BackupProcess.start("backup-it-" + run + "-1", env));
            processes.get(0).awaitReady();
            processes.add(BackupProcess.start("backup-it-" + run + "-2", env));
            processes.get(1).awaitReady();

            TestServers.announceRegistered(server, "acme", "it-mariadb", "127.0.0.1", mariadb);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                    .until(() -> database.count("select count(*) from server where id = ?", server) == 1);

            String token = Tokens.user(Tokens.ACME_ADMIN);
            HttpResponse<String> created = processes.get(0).send("POST", "/backup/schedules", token,
                    "{\"server_id\":\"%s\",\"schedule_cron\":\"0 3 * * *\",\"databases\":[\"%s\"],\"verify\":false}"
                            .formatted(server, schema.name));
            assertEquals(201, created.statusCode(), created.body());
            Matcher id = ID.matcher(created.body());
            assertThat(id.find(), is(true));
            UUID schedule = UUID.fromString(id.group(1));

            for (int dueTime = 1; dueTime <= 2; dueTime++) {
                int expected = dueTime;
                // the due time arrives for both processes at once
                database.update("update backup_schedule set next_run = now() - interval '1 second' where id = ?", schedule);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> database.count(
                        "select count(*) from backup where schedule_id = ? and status = 'completed'", schedule) == expected);
                // several more trigger rounds of both processes pass: no second backup for that due time
                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(500))
                        .until(() -> database.count("select count(*) from backup where schedule_id = ?", schedule) == expected);
                assertEquals(1, database.count("select count(*) from backup_schedule where id = ? and next_run > now() "
                        + "and last_status = 'completed'", schedule), "next_run moved on and last_status kept");
            }

            // both processes see the same history: the two backups of the schedule
            for (ServiceProcess process : processes) {
                HttpResponse<String> history = process.send("GET", "/backup/history?server_id=" + server, token, null);
                assertEquals(200, history.statusCode());
                assertEquals(2, history.body().split("\"schedule_id\":\"" + schedule + "\"", -1).length - 1, history.body());
            }
        } finally {
            for (ServiceProcess process : processes) {
                process.close();
            }
        }
    }
}
