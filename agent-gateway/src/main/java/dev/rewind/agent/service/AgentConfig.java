package dev.rewind.agent.service;

import java.util.List;
import java.util.UUID;

/**
 * What an agent pulls from {@code GET /api/v1/agent/config}: its schedules, the tenant's targets and alert
 * channels. Its SHA-256 is the config hash a heartbeat is compared with.
 */
public record AgentConfig(List<ScheduleConfig> schedules, List<TargetConfig> targets, List<AlertChannelConfig> alertChannels) {

    /** A schedule with the database it backs up, so the agent knows what {@code databaseId} names. */
    public record ScheduleConfig(UUID id, UUID databaseId, String dbType, String host, String port, String databaseName,
            UUID targetId, String cron, int retentionDays, boolean encrypt, boolean enabled) {
    }

    public record TargetConfig(UUID id, String name, String type, String bucket, String prefix, String region, String endpoint) {
    }

    public record AlertChannelConfig(UUID id, String name, String type, String destination, List<String> events, boolean enabled) {
    }
}
