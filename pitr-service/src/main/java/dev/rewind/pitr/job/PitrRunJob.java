package dev.rewind.pitr.job;

import dev.rewind.commons.work.Blocking;
import dev.rewind.pitr.PitrRun;
import dev.rewind.pitr.run.PitrRunner;
import dev.rewind.pitr.run.PitrStorage;
import dev.rewind.pitr.service.PitrRunService;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Keeps PITR runs honest across instances: the runs this instance executes get a heartbeat; a running run whose
 * heartbeat stopped (its instance was killed or restarted) is claimed by one instance, its partial output removed
 * and the run marked failed, which frees the server for the next run. Scratch folders of runs that no longer run
 * are removed at start.
 */
@ApplicationScoped
public class PitrRunJob {

    private final PitrRunService runs;
    private final PitrRunner runner;
    private final PitrStorage storage;

    public PitrRunJob(PitrRunService runs, PitrRunner runner, PitrStorage storage) {
        this.runs = runs;
        this.runner = runner;
        this.storage = storage;
    }

    void onStart(@Observes StartupEvent start) {
        Thread cleaner = new Thread(() -> {
            try {
                runner.removeLeftovers();
            } catch (RuntimeException e) {
                Log.warnf("could not remove the scratch folders of earlier PITR runs: %s", e.getMessage());
            }
        }, "pitr-leftovers");
        cleaner.setDaemon(true);
        cleaner.start();
    }

    @Scheduled(every = "${rewind.pitr.runs.check-interval:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            Blocking.await(() -> runs.heartbeat(runner.inFlight(), runner.instance()));
            failOrphans();
        } catch (RuntimeException e) {
            Log.warnf("checking PITR runs failed, trying again next round: %s", e.getMessage());
        }
    }

    /** Fails every running run whose instance stopped, after removing its partial output; returns how many. */
    public int failOrphans() {
        int failed = 0;
        PitrRun orphan;
        while ((orphan = Blocking.await(() -> runs.claimOrphan(runner.instance(), runner.staleAfter()))) != null) {
            PitrRun run = orphan;
            String error = "pitr-service instance " + run.instance + " stopped while the run was " + run.phase
                    + " (no heartbeat since " + run.heartbeatAt + ")";
            try {
                int removed = storage.deleteAll(storage.ownedPrefix(run.s3Path, "pitr", run.tenant, run.serverId));
                error += "; its partial output (" + removed + " objects) was removed. Start the run again";
            } catch (RuntimeException e) {
                error += "; its partial output under " + run.s3Path + " could not be removed: " + e.getMessage();
            }
            String message = error;
            Blocking.await(() -> runs.fail(run.id, runner.instance(), message, List.of()));
            Log.warnf("PITR run %s of server %s failed: %s", run.id, run.serverId, message);
            failed++;
        }
        return failed;
    }
}
