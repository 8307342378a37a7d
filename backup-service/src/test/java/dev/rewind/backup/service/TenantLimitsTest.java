package dev.rewind.backup.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rewind.backup.Backup;
import dev.rewind.backup.KnownServer;
import dev.rewind.backup.support.Backups;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One tenant cannot take every worker: at rewind.backup.worker.max-per-tenant (4) running backups its further queued
 * backups wait, and another tenant's backup, queued later, starts first. The servers here sit on a partition of
 * rewind.servers no instance holds, so only this test claims their backups.
 */
@QuarkusTest
class TenantLimitsTest {

    static final int PARTITION = 997;

    @Inject
    BackupRunService runs;

    final List<UUID> made = new ArrayList<>();

    UUID server(String tenant) {
        KnownServer server = new KnownServer();
        server.id = UUID.randomUUID();
        server.tenant = tenant;
        server.name = "limits-" + server.id.toString().substring(0, 8);
        server.kafkaPartition = PARTITION;
        server.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        Backups.db(() -> Panache.withTransaction(server::persist));
        return server.id;
    }

    Backup backup(String tenant, String phase, OffsetDateTime started) {
        Backup backup = new Backup();
        backup.id = UUID.randomUUID();
        backup.tenant = tenant;
        backup.serverId = server(tenant);
        backup.serverName = "limits";
        backup.backupTool = "mydumper";
        backup.status = "running";
        backup.phase = phase;
        backup.startedAt = started;
        if (!phase.equals("queued")) {
            backup.claimedBy = "another-instance";
            backup.heartbeatAt = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1); // alive: crash recovery leaves it
        }
        made.add(backup.id);
        return Backups.db(() -> Panache.withTransaction(backup::persist));
    }

    @Test
    void aTenantAtItsLimitWaitsWhileAnotherTenantsLaterBackupStarts() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String busy = "busy-" + suffix;
        String other = "other-" + suffix;
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Backup> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(backup(busy, i % 2 == 0 ? "dumping" : "uploading", now.minusMinutes(30)));
        }
        Backup waiting = backup(busy, "queued", now.minusMinutes(10));
        Backup later = backup(other, "queued", now.minusMinutes(5));
        try {
            Backup first = Backups.db(() -> Panache.withTransaction(() -> runs.claimNext("limits-test", Set.of(PARTITION))));
            assertEquals(later.id, first.id, "the other tenant's backup starts, though queued later");
            assertNull(Backups.db(() -> Panache.withTransaction(() -> runs.claimNext("limits-test", Set.of(PARTITION)))),
                    "the busy tenant is at its limit");

            Backups.sql("update backup set status = 'failed', phase = 'failed' where id = ?1", running.get(0).id);
            Backup next = Backups.db(() -> Panache.withTransaction(() -> runs.claimNext("limits-test", Set.of(PARTITION))));
            assertEquals(waiting.id, next.id, "one of its backups ended: the next one starts");
        } finally {
            for (UUID id : made) {
                Backups.sql("update backup set status = 'failed', phase = 'failed', heartbeat_at = null where id = ?1", id);
            }
        }
    }
}
