package dev.rewind.backup.repository;

import dev.rewind.backup.Backup;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Backup history, always within one tenant. */
@ApplicationScoped
public class BackupRepository implements PanacheRepositoryBase<Backup, UUID> {

    /** A page of history, newest first, narrowed by whichever filters are given. */
    public record HistoryFilter(UUID serverId, String status, OffsetDateTime since, OffsetDateTime until, int limit) {
    }

    public Uni<List<Backup>> history(String tenant, HistoryFilter filter) {
        StringBuilder query = new StringBuilder("tenant = :tenant");
        Parameters params = Parameters.with("tenant", tenant);
        if (filter.serverId() != null) {
            query.append(" and serverId = :serverId");
            params.and("serverId", filter.serverId());
        }
        if (filter.status() != null) {
            query.append(" and status = :status");
            params.and("status", filter.status());
        }
        if (filter.since() != null) {
            query.append(" and startedAt >= :since");
            params.and("since", filter.since());
        }
        if (filter.until() != null) {
            query.append(" and startedAt <= :until");
            params.and("until", filter.until());
        }
        return find(query.toString(), Sort.descending("startedAt", "id"), params).page(0, filter.limit()).list();
    }

    public Uni<Backup> findForTenant(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResult();
    }
}
