package dev.rewind.backup.rest;

import dev.rewind.backup.Schedule;
import dev.rewind.backup.service.ScheduleService.ScheduleWithServer;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A backup schedule in the shape of the reference, plus next_run, retention_count, databases and verify. */
public record ScheduleView(UUID id, UUID serverId, String serverName, String scheduleCron, String backupTool,
        int retentionDays, Integer retentionCount, String s3Prefix, List<String> databases, boolean enabled,
        boolean verify, OffsetDateTime nextRun, OffsetDateTime lastRun, String lastStatus, OffsetDateTime createdAt) {

    public static ScheduleView of(ScheduleWithServer item) {
        Schedule s = item.schedule();
        return new ScheduleView(s.id, s.serverId, item.serverName(), s.scheduleCron, s.backupTool, s.retentionDays,
                s.retentionCount, s.s3Prefix, s.databases == null ? null : Arrays.asList(s.databases.split(",")),
                s.enabled, s.verify, s.nextRun, s.lastRun, s.lastStatus, s.createdAt);
    }
}
