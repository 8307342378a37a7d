package dev.rewind.agent.repository;

import dev.rewind.agent.Anomaly;
import dev.rewind.commons.repository.Filter;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
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
        Filter where = Filter.where("tenant", tenant).eq("agentId", agentId).eq("databaseId", databaseId).eq("kind", kind);
        return find(where.query(), Sort.by("detectedAt", Sort.Direction.Descending).and("id"), where.params())
                .page(Page.ofSize(limit)).list();
    }
}
