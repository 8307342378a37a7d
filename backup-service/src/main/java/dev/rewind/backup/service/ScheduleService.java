package dev.rewind.backup.service;

import dev.rewind.backup.Backup;
import dev.rewind.backup.KnownServer;
import dev.rewind.backup.Schedule;
import dev.rewind.backup.repository.BackupRepository;
import dev.rewind.backup.repository.ScheduleRepository;
import dev.rewind.backup.schedule.CronSchedule;
import dev.rewind.commons.audit.Audit;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Backup schedules of a tenant, and the trigger that turns due schedules into queued backups exactly once. */
@ApplicationScoped
public class ScheduleService {

    /** A schedule with the name of its server, as listed. */
    public record ScheduleWithServer(Schedule schedule, String serverName) {
    }

    /** What a create or an update sets; null fields are left as they are (or take their default on create). */
    public record ScheduleChange(UUID serverId, String scheduleCron, String backupTool, Integer retentionDays,
            Integer retentionCount, String s3Prefix, List<String> databases, Boolean enabled, Boolean verify) {
    }

    private final ScheduleRepository schedules;
    private final BackupRepository backups;
    private final ServerProjection servers;
    private final Audit audit;
    private final int maxPerHour;

    public ScheduleService(ScheduleRepository schedules, BackupRepository backups, ServerProjection servers, Audit audit,
            dev.rewind.backup.config.BackupConfig config) {
        this.schedules = schedules;
        this.backups = backups;
        this.servers = servers;
        this.audit = audit;
        this.maxPerHour = config.schedules().maxPerTenantPerHour();
    }

    /**
     * Refuses (422) an enabled schedule that would let the tenant's enabled schedules start more backups in one hour
     * than {@code rewind.backup.schedules.max-per-tenant-per-hour}; each schedule counts at its peak hour.
     */
    private Uni<Schedule> withinHourlyCap(Schedule schedule) {
        if (!schedule.enabled) {
            return Uni.createFrom().item(schedule);
        }
        return schedules.peakPerHour(schedule.tenant, schedule.id).map(others -> {
            if (others + schedule.peakPerHour > maxPerHour) {
                throw ProblemException.unprocessable("schedule_cron " + schedule.scheduleCron + " starts up to "
                        + schedule.peakPerHour + " backups in one hour; with the tenant's other enabled schedules ("
                        + others + " in their peak hours) that is over the limit of " + maxPerHour
                        + " scheduled backups per hour. Choose a sparser cron or disable another schedule");
            }
            return schedule;
        });
    }

    @WithSession
    public Uni<List<ScheduleWithServer>> list(String tenant) {
        return schedules.listForTenant(tenant).chain(list -> KnownServer.<KnownServer>list("tenant", tenant)
                .map(known -> {
                    Map<UUID, String> names = known.stream().collect(Collectors.toMap(s -> s.id, s -> s.name));
                    return list.stream().map(s -> new ScheduleWithServer(s, names.get(s.serverId))).toList();
                }));
    }

    @WithSession
    public Uni<ScheduleWithServer> get(String tenant, UUID id) {
        return find(tenant, id).chain(this::withServer);
    }

    @WithTransaction
    public Uni<ScheduleWithServer> create(String tenant, String actor, ScheduleChange change) {
        return servers.liveServerOf(tenant, change.serverId()).chain(server -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            Schedule schedule = new Schedule();
            schedule.id = UUID.randomUUID();
            schedule.tenant = tenant;
            schedule.serverId = server.id;
            schedule.scheduleCron = change.scheduleCron().trim();
            schedule.backupTool = change.backupTool() == null ? "mydumper" : change.backupTool();
            schedule.retentionDays = change.retentionDays() == null ? 30 : change.retentionDays();
            schedule.retentionCount = change.retentionCount();
            schedule.s3Prefix = change.s3Prefix();
            schedule.databases = joined(change.databases());
            schedule.enabled = change.enabled() == null || change.enabled();
            schedule.verify = change.verify() == null || change.verify();
            schedule.createdAt = now;
            schedule.nextRun = next(schedule.scheduleCron, now);
            schedule.peakPerHour = CronSchedule.parse(schedule.scheduleCron).peakPerHour(now);
            return withinHourlyCap(schedule).chain(schedules::persist)
                    .call(s -> audit.record(tenant, actor, "backup.schedule.created", "backup_schedule", s.id.toString(),
                            details(s)))
                    .map(s -> new ScheduleWithServer(s, server.name));
        });
    }

    @WithTransaction
    public Uni<ScheduleWithServer> update(String tenant, String actor, UUID id, ScheduleChange change) {
        return find(tenant, id).chain(schedule -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            boolean reschedule = false;
            if (change.scheduleCron() != null) {
                schedule.scheduleCron = change.scheduleCron().trim();
                reschedule = true;
            }
            if (change.enabled() != null) {
                reschedule |= change.enabled() && !schedule.enabled; // a re-enabled schedule does not fire for the time it was off
                schedule.enabled = change.enabled();
            }
            if (change.backupTool() != null) {
                schedule.backupTool = change.backupTool();
            }
            if (change.retentionDays() != null) {
                schedule.retentionDays = change.retentionDays();
            }
            if (change.retentionCount() != null) {
                schedule.retentionCount = change.retentionCount();
            }
            if (change.s3Prefix() != null) {
                schedule.s3Prefix = change.s3Prefix();
            }
            if (change.databases() != null) {
                schedule.databases = joined(change.databases());
            }
            if (change.verify() != null) {
                schedule.verify = change.verify();
            }
            if (reschedule) {
                schedule.nextRun = next(schedule.scheduleCron, now);
                schedule.peakPerHour = CronSchedule.parse(schedule.scheduleCron).peakPerHour(now);
            }
            return (reschedule ? withinHourlyCap(schedule) : Uni.createFrom().item(schedule))
                    .chain(checked -> audit.record(tenant, actor, "backup.schedule.updated", "backup_schedule", schedule.id.toString(),
                    details(schedule))).chain(() -> withServer(schedule));
        });
    }

    @WithTransaction
    public Uni<Void> delete(String tenant, String actor, UUID id) {
        return find(tenant, id)
                .call(schedule -> audit.record(tenant, actor, "backup.schedule.deleted", "backup_schedule",
                        schedule.id.toString(), details(schedule)))
                .call(schedules::delete)
                .replaceWithVoid();
    }

    /**
     * One trigger round: claims the due schedules (FOR UPDATE SKIP LOCKED, so with several instances each due time is
     * taken by exactly one), queues one backup for each, and moves next_run past now. Missed due times while the
     * service was down give one backup, not one per missed time; a schedule whose previous backup is still queued
     * (not started: its server is busy) queues none. Answers the backups queued.
     */
    @WithTransaction
    public Uni<List<Backup>> fireDue(int max) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return schedules.lockDue(now, max).chain(due -> {
            if (due.isEmpty()) {
                return Uni.createFrom().item(List.<Backup>of());
            }
            Set<UUID> serverIds = due.stream().map(s -> s.serverId).collect(Collectors.toSet());
            return KnownServer.<KnownServer>list("id in ?1", serverIds).chain(known -> {
                Map<UUID, KnownServer> byId = known.stream().collect(Collectors.toMap(s -> s.id, Function.identity()));
                Uni<List<Backup>> queued = Uni.createFrom().item(new java.util.ArrayList<>());
                for (Schedule schedule : due) {
                    queued = queued.call(list -> Backup.count("scheduleId = ?1 and phase = 'queued'", schedule.id).chain(waiting -> {
                        if (waiting > 0) {
                            // its last backup has not even started (the server is busy): a second one would only pile up
                            skip(schedule, now);
                            return Uni.createFrom().voidItem();
                        }
                        return queue(schedule, byId.get(schedule.serverId), now).invoke(list::add).replaceWithVoid();
                    }));
                }
                return queued;
            });
        });
    }

    /** A due time that queues nothing: the schedule moves on to its next time. */
    private static void skip(Schedule schedule, OffsetDateTime now) {
        Log.infof("schedule %s: its previous backup is still queued, so the run due at %s is skipped", schedule.id,
                schedule.nextRun);
        advance(schedule, now);
    }

    private static void advance(Schedule schedule, OffsetDateTime now) {
        try {
            schedule.nextRun = next(schedule.scheduleCron, now);
        } catch (ProblemException e) {
            Log.warnf("schedule %s has a cron that no longer fires; it is disabled", schedule.id);
            schedule.enabled = false;
        }
    }

    private Uni<Backup> queue(Schedule schedule, KnownServer server, OffsetDateTime now) {
        Backup backup = new Backup();
        backup.id = UUID.randomUUID();
        backup.tenant = schedule.tenant;
        backup.scheduleId = schedule.id;
        backup.serverId = schedule.serverId;
        backup.serverName = server.name;
        backup.backupTool = schedule.backupTool;
        backup.status = "running";
        backup.phase = "queued";
        backup.databases = schedule.databases;
        backup.verify = schedule.verify;
        backup.s3Prefix = schedule.s3Prefix;
        backup.retentionDays = schedule.retentionDays;
        backup.startedAt = now;
        schedule.lastRun = schedule.nextRun;
        schedule.lastStatus = "running";
        advance(schedule, now);
        return backups.persist(backup)
                .call(b -> audit.record(b.tenant, "system:scheduler", "backup.requested", "backup", b.id.toString(),
                        BackupRequestService.details(b)));
    }

    private Uni<Schedule> find(String tenant, UUID id) {
        return schedules.findForTenant(tenant, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No backup schedule " + id));
    }

    private Uni<ScheduleWithServer> withServer(Schedule schedule) {
        return KnownServer.<KnownServer>findById(schedule.serverId)
                .map(server -> new ScheduleWithServer(schedule, server == null ? null : server.name));
    }

    private static OffsetDateTime next(String cron, OffsetDateTime after) {
        try {
            return CronSchedule.parse(cron).nextAfter(after)
                    .orElseThrow(() -> new IllegalArgumentException("never fires"));
        } catch (IllegalArgumentException e) {
            throw ProblemException.unprocessable("schedule_cron " + e.getMessage());
        }
    }

    private static String joined(List<String> databases) {
        return databases == null || databases.isEmpty() ? null : String.join(",", databases);
    }

    private static Map<String, Object> details(Schedule s) {
        Map<String, Object> details = new HashMap<>();
        details.put("server_id", s.serverId.toString());
        details.put("schedule_cron", s.scheduleCron);
        details.put("backup_tool", s.backupTool);
        details.put("retention_days", s.retentionDays);
        details.put("enabled", s.enabled);
        if (s.retentionCount != null) {
            details.put("retention_count", s.retentionCount);
        }
        if (s.s3Prefix != null) {
            details.put("s3_prefix", s.s3Prefix);
        }
        return details;
    }
}
