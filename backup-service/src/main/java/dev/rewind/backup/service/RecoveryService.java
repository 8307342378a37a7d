package dev.rewind.backup.service;

import dev.rewind.backup.Backup;
import dev.rewind.backup.config.BackupConfig;
import dev.rewind.backup.storage.ArtifactStore;
import dev.rewind.backup.verify.RestoreVerifier;
import dev.rewind.commons.work.Blocking;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Crash recovery: a backup left in a running phase by an instance that died (no heartbeat for
 * {@code rewind.backup.worker.stale-after}) is marked failed with a clear error, and its partial S3 objects,
 * open multipart uploads, its scratch folder and any scratch databases of its restore verification are removed; scratch
 * folders no running backup owns are swept. Runs at startup and periodically on every instance. Blocking.
 */
@ApplicationScoped
public class RecoveryService {

    private final BackupRunService runs;
    private final ArtifactStore store;
    private final BackupConfig config;
    private final RestoreVerifier verifier;

    public RecoveryService(BackupRunService runs, ArtifactStore store, BackupConfig config, RestoreVerifier verifier) {
        this.verifier = verifier;
        this.runs = runs;
        this.store = store;
        this.config = config;
    }

    /** Answers the backups recovered. */
    public List<Backup> recoverStale() {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minus(config.worker().staleAfter());
        List<Backup> stale = Blocking.await(() -> runs.failStale(before));
        for (Backup backup : stale) {
            removeScratch(backup.id); // when it ran on this machine: its dump and the defaults file with the password
            if (backup.verify) {
                int dropped = verifier.dropLeftovers(backup.id); // it may have died while verifying
                if (dropped > 0) {
                    Log.warnf("backup %s: dropped %d scratch databases its verification left", backup.id, dropped);
                }
            }
            String prefix = store.prefixOf(backup.s3Path);
            if (prefix != null && prefix.startsWith("backups/" + backup.tenant + "/" + backup.serverId + "/")) {
                try {
                    int removed = store.deleteAll(prefix);
                    Log.warnf("backup %s: %s (%d objects)", backup.id, backup.errorMessage, removed);
                } catch (RuntimeException e) {
                    Log.errorf("backup %s was orphaned; its partial objects under %s could not be removed: %s",
                            backup.id, prefix, e.getMessage());
                }
            }
        }
        return stale;
    }

    /**
     * Removes the scratch folders under the work dir that belong to no running backup: those a killed instance on
     * this machine left (a partial dump, the 0600 defaults file holding the source's password). A folder of a backup
     * that still runs, here or in another process sharing the folder, is kept. Answers how many were removed.
     */
    public int sweepScratch(Set<UUID> runningHere) {
        Path root = config.worker().workDir();
        List<UUID> found = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                UUID id = uuid(dir.getFileName().toString());
                if (id != null && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && !runningHere.contains(id)) {
                    found.add(id);
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            Log.warnf("cannot list the scratch folders under %s: %s", root, e.getMessage());
            return 0;
        }
        if (found.isEmpty()) {
            return 0;
        }
        Set<UUID> stillRunning = Blocking.await(() -> runs.running(found));
        int removed = 0;
        for (UUID id : found) {
            if (!stillRunning.contains(id) && removeScratch(id)) {
                removed++;
            }
        }
        return removed;
    }

    private boolean removeScratch(UUID backupId) {
        Path dir = config.worker().workDir().resolve(backupId.toString());
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Blocking.deleteTree(dir);
        Log.warnf("backup %s: removed the scratch folder %s it left", backupId, dir);
        return true;
    }

    private static UUID uuid(String name) {
        try {
            return UUID.fromString(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
