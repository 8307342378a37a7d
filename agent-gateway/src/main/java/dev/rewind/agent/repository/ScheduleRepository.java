package dev.rewind.agent.repository;

import dev.rewind.agent.Schedule;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Backup schedules of agent databases. */
@ApplicationScoped
public class ScheduleRepository implements PanacheRepositoryBase<Schedule, UUID> {

    public Uni<List<Schedule>> listForTenant(String tenant, UUID agentId) {
        return agentId == null
                ? list("tenant", Sort.by("createdAt").and("id"), tenant)
                : list("tenant = ?1 and agentId = ?2", Sort.by("createdAt").and("id"), tenant, agentId);
    }

    public Uni<List<Schedule>> listForAgent(UUID agentId) {
        return list("agentId", Sort.by("createdAt").and("id"), agentId);
    }

    public Uni<Schedule> findForTenant(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResult();
    }

    public Uni<Schedule> findForAgent(UUID agentId, UUID id) {
        return find("agentId = ?1 and id = ?2", agentId, id).firstResult();
    }

    public Uni<Boolean> targetInUse(UUID targetId) {
        return count("targetId", targetId).map(n -> n > 0);
    }
}
