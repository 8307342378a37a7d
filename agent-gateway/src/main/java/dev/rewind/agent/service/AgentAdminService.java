package dev.rewind.agent.service;

import dev.rewind.agent.Agent;
import dev.rewind.agent.AgentDatabase;
import dev.rewind.agent.repository.AgentDatabaseRepository;
import dev.rewind.agent.repository.AgentRepository;
import dev.rewind.commons.audit.Audit;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What admins see and do of their tenant's agents. */
@ApplicationScoped
public class AgentAdminService {

    private final AgentRepository agents;
    private final AgentDatabaseRepository databases;
    private final Audit audit;

    public AgentAdminService(AgentRepository agents, AgentDatabaseRepository databases, Audit audit) {
        this.agents = agents;
        this.databases = databases;
        this.audit = audit;
    }

    @WithSession
    public Uni<List<Agent>> list(String tenant, dev.rewind.commons.rest.PageCursor after, int limit) {
        return agents.pageForTenant(tenant, after, limit);
    }

    @WithSession
    public Uni<Agent> get(String tenant, UUID id) {
        return find(tenant, id);
    }

    @WithSession
    public Uni<List<AgentDatabase>> databases(String tenant, UUID id) {
        return find(tenant, id).chain(agent -> databases.listForAgent(agent.id));
    }

    /** Revokes the agent's API key at once: its next call is a 401. Revoking twice is harmless. */
    @WithTransaction
    public Uni<Agent> revoke(String tenant, String actor, UUID id) {
        return find(tenant, id).call(agent -> {
            if (agent.revokedAt != null) {
                return Uni.createFrom().voidItem();
            }
            agent.revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
            agent.status = "revoked";
            return audit.record(tenant, actor, "agent.key.revoked", "agent", id.toString(), Map.of("hostname", agent.hostname));
        });
    }

    private Uni<Agent> find(String tenant, UUID id) {
        return agents.findForTenant(tenant, id).onItem().ifNull().failWith(() -> ProblemException.notFound("No agent " + id));
    }
}
