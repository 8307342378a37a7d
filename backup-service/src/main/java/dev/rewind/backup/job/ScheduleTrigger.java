package dev.rewind.backup.job;

import dev.rewind.backup.config.BackupConfig;
import dev.rewind.backup.service.ScheduleService;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Turns due schedules into queued backups; safe to run on every instance at once. */
public class ScheduleTrigger {

    private final ScheduleService schedules;
    private final BackupConfig config;

    public ScheduleTrigger(ScheduleService schedules, BackupConfig config) {
        this.schedules = schedules;
        this.config = config;
    }

    @Scheduled(every = "${rewind.backup.schedules.poll-interval:5s}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> fireDueSchedules() {
        return schedules.fireDue(config.schedules().batchSize())
                .onFailure().invoke(e -> Log.warnf("schedule trigger round failed, retrying next round: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
