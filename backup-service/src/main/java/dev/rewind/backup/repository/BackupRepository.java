package dev.rewind.backup.repository;

import dev.rewind.backup.Backup;
import io.quarkus.hibernate.reactive.panache.Panache;
import dev.rewind.commons.repository.Filter;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Backup history and the claims of the backup workers. */
@ApplicationScoped
public class BackupRepository implements PanacheRepositoryBase<Backup, UUID> {

    /** The phases of a backup that runs. */
    public static final java.util.Set<String> ACTIVE = java.util.Set.of("dumping", "uploading", "verifying");
    static final String ACTIVE_PHASES = "('dumping', 'uploading', 'verifying')";

    /** A page of history, newest first, narrowed by whichever filters are given. */
    public record HistoryFilter(UUID serverId, String status, OffsetDateTime since, OffsetDateTime until, int limit) {
    }

    public Uni<List<Backup>> history(String tenant, HistoryFilter filter) {
        Filter where = Filter.where("tenant", tenant)
                .eq("serverId", filter.serverId())
                .eq("status", filter.status())
                .atLeast("startedAt", "since", filter.since())
                .atMost("startedAt", "until", filter.until());
        return find(where.query(), Sort.descending("startedAt", "id"), where.params()).page(0, filter.limit()).list();
    }

    public Uni<Backup> findForTenant(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResult();
    }

    /**
     * Locks the oldest queued backup of a server in one of {@code partitions} (of rewind.servers) that has no backup
     * running, skipping rows other workers hold. A server whose partition is not recorded yet is anyone's: its
     * backups must not wait for the next rebalance. Two workers may still pick two queued backups of one server at once
     * (a rebalance moved it between their looks): the partial unique index backup_one_active_per_server rejects the
     * second at commit.
     */
    public Uni<Backup> lockNextQueued(Collection<Integer> partitions, int perTenant) {
        if (partitions.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select b.* from backup b
                  join server s on s.id = b.server_id
                 where b.phase = 'queued'
                   and (s.kafka_partition in (:partitions) or s.kafka_partition is null)
                   and not exists (select 1 from backup r where r.server_id = b.server_id and r.phase in %s)
                   and (select count(*) from backup t where t.tenant = b.tenant and t.phase in %s) < :perTenant
                 order by b.started_at, b.id
                 limit 1
                 for update of b skip locked""".formatted(ACTIVE_PHASES, ACTIVE_PHASES), Backup.class)
                .setParameter("partitions", List.copyOf(partitions))
                .setParameter("perTenant", perTenant)
                .getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** Locks the backups left in a running phase whose worker stopped beating. */
    public Uni<List<Backup>> lockStale(OffsetDateTime heartbeatBefore) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select * from backup
                 where phase in %s and (heartbeat_at is null or heartbeat_at < :before)
                 for update skip locked""".formatted(ACTIVE_PHASES), Backup.class)
                .setParameter("before", heartbeatBefore)
                .getResultList());
    }

    /** Keeps the backups of this instance alive: only those it still holds, in a running phase. */
    public Uni<Integer> heartbeat(Collection<UUID> ids, String instance, OffsetDateTime now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return update("heartbeatAt = ?1 where id in ?2 and claimedBy = ?3 and phase in ?4", now, List.copyOf(ids), instance,
                List.copyOf(ACTIVE));
    }

    /** Is a path already used by another backup (two backups of a server in the same second)? */
    public Uni<Boolean> pathTaken(String s3Path) {
        return count("s3Path", s3Path).map(n -> n > 0);
    }

    /** How many on-demand backups a user requested since a time, and the oldest of them. */
    public Uni<List<Backup>> requestedSince(String subject, OffsetDateTime since) {
        return find("requestedBy = ?1 and scheduleId is null and startedAt > ?2", Sort.ascending("startedAt"), subject, since)
                .list();
    }

    /**
     * Completed backups older than their retention, and failed ones that kept their artifacts (their restore
     * verification failed), oldest first, locked for this retention round.
     */
    public Uni<List<Backup>> lockExpired(OffsetDateTime now, int defaultDays, int max) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select * from backup
                 where (status = 'completed' or (status = 'failed' and s3_path is not null))
                   and started_at < cast(:now as timestamptz) - make_interval(days => coalesce(retention_days, :days))
                 order by started_at
                 limit :max
                 for update skip locked""", Backup.class)
                .setParameter("now", now).setParameter("days", defaultDays).setParameter("max", max)
                .getResultList());
    }

    /** Completed backups of a schedule beyond its newest {@code keep}, locked for this retention round. */
    public Uni<List<Backup>> lockBeyondCount(UUID scheduleId, int keep) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select * from backup
                 where schedule_id = :schedule and status = 'completed'
                 order by started_at desc, id desc
                 offset :keep
                 for update skip locked""", Backup.class)
                .setParameter("schedule", scheduleId).setParameter("keep", keep)
                .getResultList());
    }

    /**
     * The newest completed mydumper backup of a server: the PITR baseline retention never removes (a mysqldump
     * backup is no PITR baseline).
     */
    public Uni<Backup> newestCompleted(UUID serverId) {
        return find("serverId = ?1 and status = 'completed' and backupTool = 'mydumper'", Sort.descending("startedAt", "id"),
                serverId).firstResult();
    }

    /**
     * The newest completed mydumper backup of a server taken at or before {@code at} (the PITR baseline of that
     * moment); else the oldest there is (the earliest moment PITR can reach).
     */
    public Uni<Backup> newestCompletedBefore(UUID serverId, OffsetDateTime at) {
        return find("serverId = ?1 and status = 'completed' and backupTool = 'mydumper' and startedAt <= ?2",
                Sort.descending("startedAt", "id"), serverId, at).firstResult()
                .chain(found -> found != null ? Uni.createFrom().item(found)
                        : find("serverId = ?1 and status = 'completed' and backupTool = 'mydumper'", Sort.ascending("startedAt", "id"),
                                serverId).firstResult());
    }
}
