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
import java.util.List;

/**
 * Crash recovery: a backup left in a running phase by an instance that died (no heartbeat for
 * {@code rewind.backup.worker.stale-after}) is marked failed with a clear error, and its partial S3 objects,
 * open multipart uploads and any scratch databases of its restore verification are removed. Runs at startup and periodically on every instance. Blocking.
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
}
