package dev.rewind.agent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.agent.AgentDatabase;
import dev.rewind.agent.AlertChannel;
import dev.rewind.agent.Schedule;
import dev.rewind.agent.Target;
import dev.rewind.agent.repository.AgentDatabaseRepository;
import dev.rewind.agent.repository.AlertChannelRepository;
import dev.rewind.agent.repository.ScheduleRepository;
import dev.rewind.agent.repository.TargetRepository;
import dev.rewind.agent.rest.AdminMessages.AlertChannelRequest;
import dev.rewind.agent.rest.AdminMessages.ScheduleRequest;
import dev.rewind.agent.rest.AdminMessages.TargetRequest;
import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * What admins manage for their agents to pull: targets and alert channels (tenant-wide) and schedules (per agent
 * database). Every change recomputes the config hash of the agents it reaches, in the same transaction.
 */
@ApplicationScoped
public class AdminConfigService {

    /** A schedule with the database it backs up. */
    public record ScheduleWithDatabase(Schedule schedule, AgentDatabase database) {
    }

    private final TargetRepository targets;
    private final AlertChannelRepository channels;
    private final ScheduleRepository schedules;
    private final AgentDatabaseRepository databases;
    private final AgentConfigService configs;
    private final ObjectMapper json;

    public AdminConfigService(TargetRepository targets, AlertChannelRepository channels, ScheduleRepository schedules,
            AgentDatabaseRepository databases, AgentConfigService configs, ObjectMapper json) {
        this.targets = targets;
        this.channels = channels;
        this.schedules = schedules;
        this.databases = databases;
        this.configs = configs;
        this.json = json;
    }

    // --- targets

    @WithSession
    public Uni<List<Target>> targets(String tenant) {
        return targets.listForTenant(tenant);
    }

    @WithSession
    public Uni<Target> target(String tenant, UUID id) {
        return targets.findForTenant(tenant, id).onItem().ifNull().failWith(() -> ProblemException.notFound("No target " + id));
    }

    @WithTransaction
    public Uni<Target> createTarget(String tenant, TargetRequest request) {
        requireBucket(request);
        Target target = new Target();
        target.id = UUID.randomUUID();
        target.tenant = tenant;
        target.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        return uniqueTargetName(tenant, request.name(), target.id)
                .chain(() -> {
                    fill(target, request);
                    return targets.persist(target);
                })
                .call(() -> configs.refreshTenant(tenant));
    }

    @WithTransaction
    public Uni<Target> updateTarget(String tenant, UUID id, TargetRequest request) {
        requireBucket(request);
        return target(tenant, id)
                .call(target -> uniqueTargetName(tenant, request.name(), id))
                .invoke(target -> fill(target, request))
                .call(() -> configs.refreshTenant(tenant));
    }

    @WithTransaction
    public Uni<Void> deleteTarget(String tenant, UUID id) {
        return target(tenant, id)
                .call(target -> schedules.targetInUse(id).invoke(used -> {
                    if (used) {
                        throw ProblemException.conflict("Target " + id + " is used by schedules; delete or move them first");
                    }
                }))
                .call(target -> targets.delete(target))
                .call(() -> configs.refreshTenant(tenant))
                .replaceWithVoid();
    }

    private Uni<Void> uniqueTargetName(String tenant, String name, UUID id) {
        return targets.nameInUse(tenant, name, id).invoke(taken -> {
            if (taken) {
                throw ProblemException.conflict("A target named '" + name + "' already exists");
            }
        }).replaceWithVoid();
    }

    private static void requireBucket(TargetRequest request) {
        if (!"local".equals(request.type()) && (request.bucket() == null || request.bucket().isBlank())) {
            throw ProblemException.invalid("A " + request.type() + " target needs its bucket",
                    List.of(new Problem.FieldError("bucket", "is required for type " + request.type())));
        }
    }

    private static void fill(Target target, TargetRequest request) {
        target.name = request.name();
        target.type = request.type();
        target.bucket = request.bucket();
        target.prefix = request.prefix();
        target.region = request.region();
        target.endpoint = request.endpoint();
        target.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
    }

    // --- alert channels

    @WithSession
    public Uni<List<AlertChannel>> channels(String tenant) {
        return channels.listForTenant(tenant);
    }

    @WithSession
    public Uni<AlertChannel> channel(String tenant, UUID id) {
        return channels.findForTenant(tenant, id).onItem().ifNull().failWith(() -> ProblemException.notFound("No alert channel " + id));
    }

    @WithTransaction
    public Uni<AlertChannel> createChannel(String tenant, AlertChannelRequest request) {
        AlertChannel channel = new AlertChannel();
        channel.id = UUID.randomUUID();
        channel.tenant = tenant;
        channel.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        return uniqueChannelName(tenant, request.name(), channel.id)
                .chain(() -> {
                    fill(channel, request);
                    return channels.persist(channel);
                })
                .call(() -> configs.refreshTenant(tenant));
    }

    @WithTransaction
    public Uni<AlertChannel> updateChannel(String tenant, UUID id, AlertChannelRequest request) {
        return channel(tenant, id)
                .call(channel -> uniqueChannelName(tenant, request.name(), id))
                .invoke(channel -> fill(channel, request))
                .call(() -> configs.refreshTenant(tenant));
    }

    @WithTransaction
    public Uni<Void> deleteChannel(String tenant, UUID id) {
        return channel(tenant, id)
                .call(channel -> channels.delete(channel))
                .call(() -> configs.refreshTenant(tenant))
                .replaceWithVoid();
    }

    private Uni<Void> uniqueChannelName(String tenant, String name, UUID id) {
        return channels.nameInUse(tenant, name, id).invoke(taken -> {
            if (taken) {
                throw ProblemException.conflict("An alert channel named '" + name + "' already exists");
            }
        }).replaceWithVoid();
    }

    private void fill(AlertChannel channel, AlertChannelRequest request) {
        channel.name = request.name();
        channel.type = request.type();
        channel.destination = request.destination();
        try {
            channel.events = json.writeValueAsString(request.events() == null ? List.of() : request.events().stream().distinct().toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        channel.enabled = request.enabled() == null || request.enabled();
        channel.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
    }

    // --- schedules

    @WithSession
    public Uni<List<ScheduleWithDatabase>> schedules(String tenant, UUID agentId) {
        return schedules.listForTenant(tenant, agentId).chain(list -> databases.list("tenant", tenant)
                .map(dbs -> list.stream().map(s -> new ScheduleWithDatabase(s,
                        dbs.stream().filter(d -> d.id.equals(s.databaseId)).findFirst().orElseThrow())).toList()));
    }

    @WithSession
    public Uni<ScheduleWithDatabase> schedule(String tenant, UUID id) {
        return findSchedule(tenant, id);
    }

    private Uni<ScheduleWithDatabase> findSchedule(String tenant, UUID id) {
        return schedules.findForTenant(tenant, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No schedule " + id))
                .chain(s -> databases.findById(s.databaseId).map(db -> new ScheduleWithDatabase(s, db)));
    }

    @WithTransaction
    public Uni<ScheduleWithDatabase> createSchedule(String tenant, ScheduleRequest request) {
        return references(tenant, request).chain(db -> {
            Schedule schedule = new Schedule();
            schedule.id = UUID.randomUUID();
            schedule.tenant = tenant;
            schedule.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            fill(schedule, db, request);
            return schedules.persist(schedule)
                    .call(saved -> configs.refreshAgent(saved.agentId, tenant))
                    .map(saved -> new ScheduleWithDatabase(saved, db));
        });
    }

    @WithTransaction
    public Uni<ScheduleWithDatabase> updateSchedule(String tenant, UUID id, ScheduleRequest request) {
        return findSchedule(tenant, id).chain(existing -> references(tenant, request).chain(db -> {
            UUID previousAgent = existing.schedule().agentId;
            fill(existing.schedule(), db, request);
            return configs.refreshAgent(previousAgent, tenant)
                    .chain(() -> previousAgent.equals(db.agentId) ? Uni.createFrom().voidItem() : configs.refreshAgent(db.agentId, tenant))
                    .replaceWith(new ScheduleWithDatabase(existing.schedule(), db));
        }));
    }

    @WithTransaction
    public Uni<Void> deleteSchedule(String tenant, UUID id) {
        return schedules.findForTenant(tenant, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No schedule " + id))
                .call(schedule -> schedules.delete(schedule))
                .call(schedule -> configs.refreshAgent(schedule.agentId, tenant))
                .replaceWithVoid();
    }

    /** The schedule's database (which names its agent) and target must be the tenant's: otherwise 422. */
    private Uni<AgentDatabase> references(String tenant, ScheduleRequest request) {
        return databases.findForTenant(tenant, request.databaseId())
                .onItem().ifNull().failWith(() -> ProblemException.unprocessable("No database " + request.databaseId()))
                .call(db -> targets.findForTenant(tenant, request.targetId())
                        .onItem().ifNull().failWith(() -> ProblemException.unprocessable("No target " + request.targetId())));
    }

    private static void fill(Schedule schedule, AgentDatabase db, ScheduleRequest request) {
        schedule.agentId = db.agentId;
        schedule.databaseId = db.id;
        schedule.targetId = request.targetId();
        schedule.cron = request.cron().trim().replaceAll("\\s+", " ");
        schedule.retentionDays = request.retentionDays();
        schedule.encrypt = request.encrypt() == null || request.encrypt();
        schedule.enabled = request.enabled() == null || request.enabled();
        schedule.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
    }
}
