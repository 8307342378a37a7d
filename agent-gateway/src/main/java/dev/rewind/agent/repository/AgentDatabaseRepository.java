package dev.rewind.agent.repository;

import dev.rewind.agent.AgentDatabase;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

/** The databases agents discovered. */
@ApplicationScoped
public class AgentDatabaseRepository implements PanacheRepositoryBase<AgentDatabase, UUID> {

    public Uni<List<AgentDatabase>> listForAgent(UUID agentId) {
        return list("agentId", Sort.by("databaseName").and("host").and("port").and("id"), agentId);
    }

    public Uni<AgentDatabase> findForAgent(UUID agentId, UUID id) {
        return find("agentId = ?1 and id = ?2", agentId, id).firstResult();
    }

    /** The agent's database, locked for the rest of the transaction (one snapshot comparison at a time). */
    public Uni<AgentDatabase> lockForAgent(UUID agentId, UUID id) {
        return find("agentId = ?1 and id = ?2", agentId, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<AgentDatabase> findForTenant(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResult();
    }
}
