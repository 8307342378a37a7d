package dev.rewind.agent.repository;

import dev.rewind.agent.AgentJob;
import dev.rewind.agent.JobStage;
import dev.rewind.commons.repository.Filter;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

/** Agent jobs. */
@ApplicationScoped
public class AgentJobRepository implements PanacheRepositoryBase<AgentJob, UUID> {

    /** The agent's own job, locked for the status change (one stage move at a time); null for another agent's job. */
    public Uni<AgentJob> lockForAgent(UUID agentId, UUID id) {
        return find("agentId = ?1 and id = ?2", agentId, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<AgentJob> findForAgent(UUID agentId, UUID id) {
        return find("agentId = ?1 and id = ?2", agentId, id).firstResult();
    }

    public Uni<AgentJob> findForTenant(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResult();
    }

    /** The compressed sizes of the newest completed jobs of a database, newest first, leaving one job out. */
    public Uni<List<Long>> recentCompressedSizes(UUID databaseId, UUID exceptJobId, int runs) {
        return find("databaseId = ?1 and stage = ?2 and compressedSize is not null and id <> ?3",
                Sort.by("completedAt", Sort.Direction.Descending).and("id"), databaseId, JobStage.completed, exceptJobId)
                .page(Page.ofSize(runs)).list()
                .map(jobs -> jobs.stream().map(j -> j.compressedSize).toList());
    }

    public Uni<List<AgentJob>> listForTenant(String tenant, UUID agentId, UUID databaseId, JobStage stage, int limit) {
        Filter where = Filter.where("tenant", tenant).eq("agentId", agentId).eq("databaseId", databaseId).eq("stage", stage);
        return find(where.query(), Sort.by("startedAt", Sort.Direction.Descending).and("id"), where.params())
                .page(Page.ofSize(limit)).list();
    }
}
