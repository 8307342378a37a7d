package dev.rewind.runs.repository;

import dev.rewind.runs.BackupRun;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;

/** The ledger, always within one tenant. */
@ApplicationScoped
public class BackupRunRepository implements PanacheRepositoryBase<BackupRun, BackupRun.Key> {

    /** Filters of the list; any may be null. */
    public record RunFilter(String status, String jobName, String agentId, OffsetDateTime since, OffsetDateTime until, int limit) {
    }

    public Uni<List<BackupRun>> list(String tenant, RunFilter filter) {
        StringBuilder query = new StringBuilder("key.tenant = :tenant");
        Parameters params = Parameters.with("tenant", tenant);
        if (filter.status() != null) {
            query.append(" and status = :status");
            params.and("status", filter.status());
        }
        if (filter.jobName() != null) {
            query.append(" and jobName = :jobName");
            params.and("jobName", filter.jobName());
        }
        if (filter.agentId() != null) {
            query.append(" and agentId = :agentId");
            params.and("agentId", filter.agentId());
        }
        if (filter.since() != null) {
            query.append(" and startTime >= :since");
            params.and("since", filter.since());
        }
        if (filter.until() != null) {
            query.append(" and startTime <= :until");
            params.and("until", filter.until());
        }
        return find(query.toString(), Sort.descending("receivedAt", "key.runId"), params).page(0, filter.limit()).list();
    }
}
