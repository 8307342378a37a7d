package dev.rewind.agent.repository;

import dev.rewind.agent.Agent;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Agents, always within one tenant. */
@ApplicationScoped
public class AgentRepository implements PanacheRepositoryBase<Agent, UUID> {

    /** Up to {@code limit} of the tenant's, oldest first, after {@code after} (null: from the first). */
    public Uni<List<Agent>> pageForTenant(String tenant, dev.rewind.commons.rest.PageCursor after, int limit) {
        return TenantPages.page(this, tenant, after, limit);
    }

    public Uni<Agent> findForTenant(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResult();
    }

    public Uni<List<Agent>> listActiveForTenant(String tenant) {
        return list("tenant = ?1 and revokedAt is null", Sort.by("createdAt").and("id"), tenant);
    }

    public Uni<Integer> setDesiredConfigHash(UUID id, String hash) {
        return update("desiredConfigHash = ?1 where id = ?2", hash, id);
    }
}
