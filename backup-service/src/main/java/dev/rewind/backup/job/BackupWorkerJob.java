package dev.rewind.backup.job;

import dev.rewind.backup.service.BackupRunService;
import dev.rewind.backup.service.BackupRunner;
import dev.rewind.backup.service.RecoveryService;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Every instance: picks up queued backups, keeps the heartbeat of its running ones, recovers orphaned ones. */
public class BackupWorkerJob {

    private final BackupRunner runner;
    private final BackupRunService runs;
    private final RecoveryService recovery;

    public BackupWorkerJob(BackupRunner runner, BackupRunService runs, RecoveryService recovery) {
        this.runner = runner;
        this.runs = runs;
        this.recovery = recovery;
    }

    @Scheduled(every = "${rewind.backup.worker.poll-interval:2s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pickUpQueued() {
        runner.claimAndStart();
    }

    @Scheduled(every = "${rewind.backup.worker.heartbeat-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> heartbeat() {
        return runs.heartbeat(runner.inFlight(), runner.instance())
                .onFailure().invoke(e -> Log.warnf("heartbeat not written: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** At startup (after the first poll interval) and then periodically. */
    @Scheduled(every = "${rewind.backup.worker.recovery-interval:30s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void recoverOrphans() {
        try {
            recovery.recoverStale();
            recovery.sweepScratch(runner.inFlight());
        } catch (RuntimeException e) {
            Log.warnf("crash recovery round failed, retrying next round: %s", e.getMessage());
        }
    }
}
