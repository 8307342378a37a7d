package dev.rewind.agent.repository;

import dev.rewind.agent.Anomaly;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Anomalies of a tenant's agents. */
@ApplicationScoped
public class AnomalyRepository implements PanacheRepositoryBase<Anomaly, UUID> {

    public Uni<List<Anomaly>> listForJob(UUID jobId) {
        return list("jobId", Sort.by("detectedAt").and("id"), jobId);
    }

    public Uni<List<Anomaly>> listForTenant(String tenant, UUID agentId, UUID databaseId, String kind, int limit) {
        StringBuilder query = new StringBuilder("tenant = :tenant");
        Parameters params = Parameters.with("tenant", tenant);
        if (agentId != null) {
            query.append(" and agentId = :agentId");
            params.and("agentId", agentId);
        }
        if (databaseId != null) {
            query.append(" and databaseId = :databaseId");
            params.and("databaseId", databaseId);
        }
        if (kind != null) {
            query.append(" and kind = :kind");
            params.and("kind", kind);
        }
        return find(query.toString(), Sort.by("detectedAt", Sort.Direction.Descending).and("id"), params)
                .page(Page.ofSize(limit)).list();
    }
}
