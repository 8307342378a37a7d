package dev.rewind.pitr.job;

import dev.rewind.pitr.service.RetentionService;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Applies the index retention every hour (on a worker thread). */
@ApplicationScoped
public class IndexRetentionJob {

    private final RetentionService retention;

    public IndexRetentionJob(RetentionService retention) {
        this.retention = retention;
    }

    @Scheduled(every = "${rewind.pitr.retention.interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        try {
            retention.prune();
        } catch (Exception e) {
            Log.warnf("index retention failed, trying again next round: %s", e.getMessage());
        }
    }
}
