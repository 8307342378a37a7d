package dev.rewind.backup.repository;

import dev.rewind.backup.Schedule;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Backup schedules, within one tenant, and the due ones the trigger claims. */
@ApplicationScoped
public class ScheduleRepository implements PanacheRepositoryBase<Schedule, UUID> {

    public Uni<List<Schedule>> listForTenant(String tenant) {
        return list("tenant", Sort.ascending("createdAt", "id"), tenant);
    }

    public Uni<Schedule> findForTenant(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResult();
    }

    /**
     * The backups the tenant's enabled schedules of live servers, {@code except} one, start in their peak hours,
     * together (a decommissioned server's schedules never fire).
     */
    public Uni<Long> peakPerHour(String tenant, UUID except) {
        return Panache.getSession().chain(session -> session.createSelectionQuery("""
                select coalesce(sum(s.peakPerHour), 0) from Schedule s
                 where s.tenant = :tenant and s.enabled = true and s.id <> :except
                   and exists (select 1 from KnownServer v where v.id = s.serverId and v.decommissioned = false)""",
                Long.class).setParameter("tenant", tenant).setParameter("except", except).getSingleResult());
    }

    /**
     * Locks enabled schedules due at {@code now} whose server is live, skipping those another instance holds:
     * each due time is claimed by exactly one instance, which moves next_run on in the same transaction.
     */
    public Uni<List<Schedule>> lockDue(OffsetDateTime now, int max) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select s.* from backup_schedule s
                  join server v on v.id = s.server_id and not v.decommissioned
                 where s.enabled and s.next_run <= :now
                 order by s.next_run
                 limit :max
                 for update of s skip locked""", Schedule.class)
                .setParameter("now", now).setParameter("max", max)
                .getResultList());
    }

    public Uni<List<Schedule>> withRetentionCount() {
        return list("retentionCount is not null");
    }
}
