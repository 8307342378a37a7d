package dev.rewind.backup.job;

import dev.rewind.backup.service.RetentionService;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/** Runs retention on every instance; two rounds at once do no harm (each backup is expired once). */
public class RetentionJob {

    private final RetentionService retention;

    public RetentionJob(RetentionService retention) {
        this.retention = retention;
    }

    @Scheduled(every = "${rewind.backup.retention.interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        try {
            int expired = retention.prune().size();
            if (expired > 0) {
                Log.infof("retention expired %d backups", expired);
            }
        } catch (RuntimeException e) {
            Log.warnf("retention round failed, retrying next round: %s", e.getMessage());
        }
    }
}
