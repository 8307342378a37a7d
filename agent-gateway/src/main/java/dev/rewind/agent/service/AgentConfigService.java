package dev.rewind.agent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.agent.AgentDatabase;
import dev.rewind.agent.AlertChannel;
import dev.rewind.agent.Schedule;
import dev.rewind.agent.Target;
import dev.rewind.agent.repository.AgentDatabaseRepository;
import dev.rewind.agent.repository.AgentRepository;
import dev.rewind.agent.repository.AlertChannelRepository;
import dev.rewind.agent.repository.ScheduleRepository;
import dev.rewind.agent.repository.TargetRepository;
import dev.rewind.agent.security.ApiKeys;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds the configuration an agent pulls and keeps each agent's config hash current: every admin change to
 * schedules, targets or alert channels recomputes the hashes it affects, in the change's own transaction, so the
 * next heartbeat of an affected agent hears {@code configChanged: true}.
 */
@ApplicationScoped
public class AgentConfigService {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final AgentRepository agents;
    private final AgentDatabaseRepository databases;
    private final ScheduleRepository schedules;
    private final TargetRepository targets;
    private final AlertChannelRepository channels;
    private final ObjectMapper json;

    public AgentConfigService(AgentRepository agents, AgentDatabaseRepository databases, ScheduleRepository schedules,
            TargetRepository targets, AlertChannelRepository channels, ObjectMapper json) {
        this.agents = agents;
        this.databases = databases;
        this.schedules = schedules;
        this.targets = targets;
        this.channels = channels;
        this.json = json;
    }

    /** The agent's configuration as it stands. */
    @WithSession
    public Uni<AgentConfig> configFor(UUID agentId, String tenant) {
        return schedules.listForAgent(agentId)
                .chain(agentSchedules -> databases.listForAgent(agentId)
                        .map(dbs -> scheduleConfigs(agentSchedules, dbs)))
                .chain(scheduleConfigs -> targets.listForTenant(tenant)
                        .map(ts -> ts.stream().map(AgentConfigService::targetConfig).toList())
                        .chain(targetConfigs -> channels.listForTenant(tenant)
                                .map(cs -> new AgentConfig(scheduleConfigs, targetConfigs, cs.stream().map(this::channelConfig).toList()))));
    }

    /** The SHA-256 (hex) of the configuration's JSON form: the value a heartbeat's configHash is compared with. */
    public String hash(AgentConfig config) {
        try {
            return ApiKeys.sha256Hex(json.writeValueAsString(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("agent configuration is not serializable", e);
        }
    }

    /** Recomputes one agent's desired config hash inside the caller's transaction. */
    public Uni<Void> refreshAgent(UUID agentId, String tenant) {
        return Panache.flush()
                .chain(() -> configFor(agentId, tenant))
                .chain(config -> agents.setDesiredConfigHash(agentId, hash(config)))
                .replaceWithVoid();
    }

    /** Recomputes the desired config hash of every active agent of the tenant (targets and channels are tenant-wide). */
    public Uni<Void> refreshTenant(String tenant) {
        return Panache.flush()
                .chain(() -> agents.listActiveForTenant(tenant))
                .chain(active -> Multi.createFrom().iterable(active)
                        .onItem().transformToUniAndConcatenate(agent -> refreshAgent(agent.id, tenant))
                        .collect().last())
                .replaceWithVoid();
    }

    private static List<AgentConfig.ScheduleConfig> scheduleConfigs(List<Schedule> agentSchedules, List<AgentDatabase> dbs) {
        Map<UUID, AgentDatabase> byId = dbs.stream().collect(Collectors.toMap(d -> d.id, Function.identity()));
        return agentSchedules.stream().map(s -> {
            AgentDatabase db = byId.get(s.databaseId);
            return new AgentConfig.ScheduleConfig(s.id, s.databaseId, db.dbType, db.host, db.port, db.databaseName,
                    s.targetId, s.cron, s.retentionDays, s.encrypt, s.enabled);
        }).toList();
    }

    private static AgentConfig.TargetConfig targetConfig(Target t) {
        return new AgentConfig.TargetConfig(t.id, t.name, t.type, t.bucket, t.prefix, t.region, t.endpoint);
    }

    private AgentConfig.AlertChannelConfig channelConfig(AlertChannel c) {
        return new AgentConfig.AlertChannelConfig(c.id, c.name, c.type, c.destination, events(c.events), c.enabled);
    }

    public List<String> events(String stored) {
        try {
            return json.readValue(stored, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert channel events are unreadable", e);
        }
    }
}
