package dev.rewind.backup.rest;

import java.util.List;

/**
 * Body of POST and PATCH /backup/schedules. On PATCH every field is optional and only given ones change.
 * {@code retention_count}, {@code databases} and {@code verify} (restore verification, default true) are Rewind's
 * additions to the reference.
 */
public record ScheduleRequest(String serverId, String scheduleCron, String backupTool, Integer retentionDays,
        Integer retentionCount, String s3Prefix, List<String> databases, Boolean enabled, Boolean verify) {
}
