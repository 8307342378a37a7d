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
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds the configuration an agent pulls and keeps its config hash current: every admin change to schedules,
 * targets or alert channels recomputes the part of the hash it affects, in the change's own transaction, so the next
 * heartbeat of an affected agent hears {@code configChanged: true}. The hash has two stored parts — the agent's
 * schedules ({@code agent.desired_config_hash}) and the tenant's targets and alert channels ({@code tenant_config}) —
 * so a tenant-wide change writes one row whatever the number of agents. {@link #CONFIG_HASH} combines them; the
 * heartbeat query combines them the same way.
 */
@ApplicationScoped
public class AgentConfigService {

    /** The hash an agent reports: sha256 of its own part and its tenant's part (SQL, over agent a and tenant_config t). */
    public static final String CONFIG_HASH =
            "encode(sha256(convert_to(trim(a.desired_config_hash) || ':' || coalesce(trim(t.config_hash), ''), 'UTF8')), 'hex')";

    private static final String CURRENT_HASH = "select " + CONFIG_HASH
            + " as config_hash from agent a left join tenant_config t on t.tenant = a.tenant where a.id = $1";

    /** The tenant-wide part of the configuration, hashed. */
    private record TenantPart(List<AgentConfig.TargetConfig> targets, List<AgentConfig.AlertChannelConfig> alertChannels) {
    }

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final AgentRepository agents;
    private final AgentDatabaseRepository databases;
    private final ScheduleRepository schedules;
    private final TargetRepository targets;
    private final AlertChannelRepository channels;
    private final ObjectMapper json;
    private final Pool pool;

    public AgentConfigService(AgentRepository agents, AgentDatabaseRepository databases, ScheduleRepository schedules,
            TargetRepository targets, AlertChannelRepository channels, ObjectMapper json, Pool pool) {
        this.pool = pool;
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
        return schedulesOf(agentId).chain(scheduleConfigs -> tenantPart(tenant)
                .map(part -> new AgentConfig(scheduleConfigs, part.targets(), part.alertChannels())));
    }

    /** The config hash the agent should report now (read it before the configuration: never newer than it). */
    public Uni<String> currentHash(UUID agentId) {
        return pool.preparedQuery(CURRENT_HASH).execute(Tuple.of(agentId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("config_hash") : "");
    }

    /** Recomputes the agent's own part of the config hash (its schedules) inside the caller's transaction. */
    public Uni<Void> refreshAgent(UUID agentId, String tenant) {
        return Panache.flush()
                .chain(() -> schedulesOf(agentId))
                .chain(scheduleConfigs -> agents.setDesiredConfigHash(agentId, hash(scheduleConfigs)))
                .replaceWithVoid();
    }

    /** Recomputes the tenant-wide part of the config hash (targets and alert channels) inside the caller's transaction. */
    public Uni<Void> refreshTenant(String tenant) {
        return Panache.flush()
                .chain(() -> tenantPart(tenant))
                .chain(part -> Panache.getSession().chain(session -> session.createNativeQuery("""
                        insert into tenant_config (tenant, config_hash, updated_at) values (:tenant, :hash, now())
                        on conflict (tenant) do update set config_hash = excluded.config_hash, updated_at = now()""")
                        .setParameter("tenant", tenant)
                        .setParameter("hash", hash(part))
                        .executeUpdate()))
                .replaceWithVoid();
    }

    private Uni<List<AgentConfig.ScheduleConfig>> schedulesOf(UUID agentId) {
        return schedules.listForAgent(agentId).chain(agentSchedules -> databases.listForAgent(agentId)
                .map(dbs -> scheduleConfigs(agentSchedules, dbs)));
    }

    private Uni<TenantPart> tenantPart(String tenant) {
        return targets.listForTenant(tenant)
                .map(ts -> ts.stream().map(AgentConfigService::targetConfig).toList())
                .chain(targetConfigs -> channels.listForTenant(tenant)
                        .map(cs -> new TenantPart(targetConfigs, cs.stream().map(this::channelConfig).toList())));
    }

    private String hash(Object part) {
        try {
            return ApiKeys.sha256Hex(json.writeValueAsString(part));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("agent configuration is not serializable", e);
        }
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
