package dev.rewind.backup.service;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backup.Backup;
import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.S3Objects;
import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.backup.support.Verifications;
import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import dev.rewind.backup.config.BackupConfig;
import dev.rewind.backup.dumper.BinlogPosition;
import dev.rewind.backup.dumper.SourceSnapshot;
import dev.rewind.backup.verify.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention (days, count, the PITR baseline, running backups) and recovery of backups orphaned by a crash. */
@QuarkusTest
class RetentionAndRecoveryTest {

    @Inject
    RetentionService retention;

    @Inject
    BackupRunService runs;

    @Inject
    BackupConfig config;

    /** A finished backup with one object in S3, written as the runner would have left it. */
    static UUID stored(UUID server, UUID scheduleId, String status, String phase, int daysAgo, Integer retentionDays) {
        UUID id = UUID.randomUUID();
        String prefix = "backups/acme/" + server + "/2026-01-01/" + id.toString().substring(0, 6) + "/";
        S3Objects.put(prefix + "metadata", "test");
        Backups.sql("insert into backup (id, tenant, schedule_id, server_id, server_name, backup_tool, status, phase, s3_path,"
                + " retention_days, started_at, completed_at) values (?1, 'acme', ?2, ?3, 'db', 'mydumper', ?4, ?5, ?6, ?7,"
                + " now() - make_interval(days => ?8), now() - make_interval(days => ?8))",
                id, scheduleId, server, status, phase, "s3://" + S3Objects.BUCKET + "/" + prefix, retentionDays, daysAgo);
        return id;
    }

    static String prefixOf(UUID id) {
        return S3Objects.keyOf(Backups.entry(id).s3Path);
    }

    @Test
    void expiredBackupsAreRemovedButNeverTheNewestCompletedOrARunningOne() {
        UUID server = TestServers.withoutConnection("acme");
        UUID old = stored(server, null, "completed", "complete", 60, 30);
        UUID windowStart = stored(server, null, "completed", "complete", 40, 30); // the baseline of 30 days ago
        UUID recent = stored(server, null, "completed", "complete", 5, 30);
        UUID running = stored(server, null, "running", "dumping", 50, 30);
        Backups.sql("update backup set heartbeat_at = now() + interval '1 hour' where id = ?1", running); // its worker is alive
        UUID lonelyServer = TestServers.withoutConnection("acme");
        UUID onlyBackup = stored(lonelyServer, null, "completed", "complete", 100, 30);

        List<UUID> expired = retention.prune();

        assertThat(expired, hasItem(old));
        assertThat(expired, not(hasItem(windowStart)));
        assertThat(Backups.entry(windowStart).retentionNote, containsString("start of the server's PITR window"));
        assertThat(expired, not(hasItem(recent)));
        assertThat(expired, not(hasItem(running)));
        assertThat(expired, not(hasItem(onlyBackup)));
        assertEquals("expired", Backups.entry(old).status);
        assertThat(S3Objects.list(prefixOf(old)), empty());
        assertEquals("completed", Backups.entry(recent).status);
        assertThat(S3Objects.list(prefixOf(recent)), not(empty()));
        assertEquals("running", Backups.entry(running).status);
        Backups.sql("update backup set status = 'failed', phase = 'failed' where id = ?1", running);
        Backup baseline = Backups.entry(onlyBackup);
        assertEquals("completed", baseline.status);
        assertThat(baseline.retentionNote, containsString("PITR baseline"));
        assertThat(S3Objects.list(prefixOf(onlyBackup)), not(empty()));

        assertThat(KafkaTopics.read("rewind.backups", r -> r.key().equals(server.toString()), Duration.ofSeconds(1)).stream()
                .map(r -> r.value()).toList(), hasItem(allOf(containsString(old.toString()), containsString("\"reason\":\"expired\""))));
        assertThat(KafkaTopics.read("rewind.audit", r -> r.key().equals(old.toString()), Duration.ofSeconds(1)).stream()
                .map(r -> r.value()).toList(), hasItem(containsString("\"action\":\"backup.pruned\"")));
    }

    @Test
    void aFailedVerificationsArtifactsExpireAndAMysqldumpBackupIsNeverTheBaselineKept() {
        UUID server = TestServers.withoutConnection("acme");
        UUID failedVerification = stored(server, null, "failed", "failed", 40, 30);
        UUID mydumperBaseline = stored(server, null, "completed", "complete", 100, 30);
        UUID newerMysqldump = stored(server, null, "completed", "complete", 35, 30);
        Backups.sql("update backup set backup_tool = 'mysqldump' where id = ?1", newerMysqldump);

        List<UUID> expired = retention.prune();

        assertThat(expired, hasItems(failedVerification, newerMysqldump));
        assertThat(S3Objects.list(prefixOf(failedVerification)), empty());
        assertEquals("expired", Backups.entry(newerMysqldump).status);
        Backup baseline = Backups.entry(mydumperBaseline);
        assertEquals("completed", baseline.status, "the newest mydumper backup is the PITR baseline, whatever came after");
        assertThat(baseline.retentionNote, containsString("PITR baseline"));
    }

    @Test
    void theBaselineOfEveryMomentOfThePitrWindowOutlivesItsOwnRetention() {
        UUID server = TestServers.withoutConnection("acme");
        // one-day retention, a backup a day: coverage reaches 30 days back, so a PITR to 29 days ago needs the one of day 31
        UUID beyond = stored(server, null, "completed", "complete", 33, 1);
        UUID needed = stored(server, null, "completed", "complete", 31, 1);
        UUID inside = stored(server, null, "completed", "complete", 20, 1);
        UUID newest = stored(server, null, "completed", "complete", 0, 1);

        List<UUID> expired = retention.prune();

        assertThat(expired, hasItems(beyond, inside));
        assertEquals("completed", Backups.entry(needed).status);
        assertThat(S3Objects.list(prefixOf(needed)), not(empty()));
        assertEquals("completed", Backups.entry(newest).status);
    }

    @Test
    void retentionCountKeepsOnlyTheNewestBackupsOfTheSchedule() {
        UUID server = TestServers.withoutConnection("acme");
        UUID scheduleId = UUID.randomUUID();
        Backups.sql("insert into backup_schedule (id, tenant, server_id, schedule_cron, backup_tool, retention_days,"
                + " retention_count, enabled, next_run, created_at) values (?1, 'acme', ?2, '0 0 1 1 *', 'mydumper', 365, 2,"
                + " false, now() + interval '1 day', now())", scheduleId, server);
        UUID windowStart = stored(server, scheduleId, "completed", "complete", 40, 365);
        UUID third = stored(server, scheduleId, "completed", "complete", 3, 365);
        UUID second = stored(server, scheduleId, "completed", "complete", 2, 365);
        UUID newest = stored(server, scheduleId, "completed", "complete", 1, 365);

        retention.prune();

        assertEquals("completed", Backups.entry(windowStart).status, "the baseline of the start of the PITR window stays");
        assertEquals("expired", Backups.entry(third).status);
        assertEquals("completed", Backups.entry(second).status);
        assertEquals("completed", Backups.entry(newest).status);
    }

    @Test
    void aBackupOrphanedByACrashIsFailedAndItsPartialUploadRemoved() {
        UUID server = TestServers.withoutConnection("acme");
        UUID id = UUID.randomUUID();
        String prefix = "backups/acme/" + server + "/2026-01-01/000000/";
        S3Objects.put(prefix + "shop.orders.sql.gz", "partial");
        String pending = S3Objects.S3.createMultipartUpload(b -> b.bucket(S3Objects.BUCKET).key(prefix + "big.sql.gz")).uploadId();
        Backups.sql("insert into backup (id, tenant, server_id, server_name, backup_tool, status, phase, s3_path, claimed_by,"
                + " heartbeat_at, dump_started_at, started_at) values (?1, 'acme', ?2, 'db', 'mydumper', 'running', 'uploading',"
                + " ?3, 'backup-crashed', now() - interval '10 minutes', now() - interval '11 minutes', now() - interval '11 minutes')",
                id, server, "s3://" + S3Objects.BUCKET + "/" + prefix);

        // every instance runs crash recovery at startup and then periodically
        await().atMost(Duration.ofSeconds(30)).until(() -> Backups.entry(id).status.equals("failed"));
        Backup entry = Backups.entry(id);
        assertEquals("failed", entry.phase);
        assertThat(entry.errorMessage, allOf(containsString("Interrupted"), containsString("backup-crashed"),
                containsString("uploading")));
        await().atMost(Duration.ofSeconds(10)).until(() -> S3Objects.list(prefix).isEmpty()
                && S3Objects.S3.listMultipartUploads(b -> b.bucket(S3Objects.BUCKET).prefix(prefix)).uploads().stream()
                        .noneMatch(u -> u.uploadId().equals(pending)));
    }

    @Test
    void aBackupOrphanedWhileVerifyingLeavesNoScratchDatabase() {
        UUID server = TestServers.withoutConnection("acme");
        UUID id = UUID.randomUUID();
        int mariadb = Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT"));
        String scratch = "rewind_verify_" + id.toString().substring(0, 8) + "_shop";
        SourceSchema.run(mariadb, "create database " + scratch + "; create table " + scratch + ".t (id int)");
        Backups.sql("insert into backup (id, tenant, server_id, server_name, backup_tool, status, phase, claimed_by, verify,"
                + " heartbeat_at, dump_started_at, started_at) values (?1, 'acme', ?2, 'db', 'mydumper', 'running', 'verifying',"
                + " 'backup-crashed', true, now() - interval '10 minutes', now() - interval '11 minutes', now() - interval '11 minutes')",
                id, server);

        await().atMost(Duration.ofSeconds(30)).until(() -> Backups.entry(id).status.equals("failed"));
        assertThat(Backups.entry(id).errorMessage, containsString("verifying"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Verifications.scratchDatabasesLeft(mariadb, id).isEmpty());
    }

    @Test
    void theScratchFolderAKilledBackupLeftWithItsPasswordFileIsRemovedButNotARunningOnes() throws Exception {
        UUID server = TestServers.withoutConnection("acme");
        UUID orphan = UUID.randomUUID();
        UUID running = UUID.randomUUID();
        Backups.sql("insert into backup (id, tenant, server_id, server_name, backup_tool, status, phase, claimed_by,"
                + " heartbeat_at, dump_started_at, started_at) values (?1, 'acme', ?2, 'db', 'mydumper', 'running', 'dumping',"
                + " 'backup-killed', now() - interval '10 minutes', now() - interval '11 minutes', now() - interval '11 minutes')",
                orphan, server);
        Backups.sql("insert into backup (id, tenant, server_id, server_name, backup_tool, status, phase, claimed_by,"
                + " heartbeat_at, dump_started_at, started_at) values (?1, 'acme', ?2, 'db2', 'mydumper', 'running', 'dumping',"
                + " 'backup-elsewhere', now() + interval '1 hour', now(), now())", running, TestServers.withoutConnection("acme"));
        Path killed = scratch(orphan);
        Path live = scratch(running);
        Path unknown = scratch(UUID.randomUUID()); // a backup whose entry is gone

        await().atMost(Duration.ofSeconds(40)).until(() -> !Files.exists(killed) && !Files.exists(unknown));
        assertThat(Backups.entry(orphan).status, is("failed"));
        assertThat("the folder of a backup that still runs", Files.exists(live.resolve("client.cnf")), is(true));
        Backups.sql("update backup set status = 'failed', phase = 'failed' where id = ?1", running);
        await().atMost(Duration.ofSeconds(40)).until(() -> !Files.exists(live));
    }

    @Test
    void aWorkerThatLostItsClaimCanNeitherKeepTheBackupAliveNorCompleteIt() {
        UUID server = TestServers.withoutConnection("acme");
        UUID id = UUID.randomUUID();
        // crash recovery already failed it (and removed its files) while its worker stalled
        Backups.sql("insert into backup (id, tenant, server_id, server_name, backup_tool, status, phase, claimed_by,"
                + " error_message, heartbeat_at, dump_started_at, started_at) values (?1, 'acme', ?2, 'db', 'mydumper', 'failed',"
                + " 'failed', 'backup-stalled', 'Interrupted', now() - interval '10 minutes', now() - interval '11 minutes',"
                + " now() - interval '11 minutes')", id, server);

        assertThat(Backups.db(() -> runs.heartbeat(List.of(id), "backup-stalled")), is(0));
        Backups.db(() -> runs.enterPhase(id, "backup-stalled", "verifying"));
        Backup finished = Backups.db(() -> runs.finish(id, "backup-stalled", new BinlogPosition("bin.000001", 4L, null),
                List.of(), 1234, new SourceSnapshot("10.11", "mariadb", List.of(), java.util.Map.of()),
                Verification.skipped("not asked")));
        assertThat("finish answers that the claim was lost", finished, nullValue());
        Backups.db(() -> runs.fail(id, "backup-stalled", "late failure", false));
        Backup entry = Backups.entry(id);
        assertThat(entry.status, is("failed"));
        assertThat(entry.phase, is("failed"));
        assertThat(entry.errorMessage, is("Interrupted"));
        assertThat(entry.sizeBytes, nullValue());
    }

    /** A scratch folder as the runner makes one: the 0600 defaults file with the password, a partial dump. */
    private Path scratch(UUID backupId) throws Exception {
        Path dir = Files.createDirectories(config.worker().workDir().resolve(backupId.toString()).resolve("dump"));
        Files.writeString(dir.resolve("shop.orders.00000.sql"), "insert into orders values (1);");
        Files.writeString(dir.getParent().resolve("client.cnf"), "[client]\npassword=\"secret\"\n");
        return dir.getParent();
    }
}
