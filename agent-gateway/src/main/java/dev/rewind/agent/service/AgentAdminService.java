package dev.rewind.agent.service;

import dev.rewind.agent.Agent;
import dev.rewind.agent.repository.AgentRepository;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** What admins see of their tenant's agents. */
@ApplicationScoped
public class AgentAdminService {

    private final AgentRepository agents;

    public AgentAdminService(AgentRepository agents) {
        this.agents = agents;
    }

    @WithSession
    public Uni<List<Agent>> list(String tenant) {
        return agents.listForTenant(tenant);
    }

    @WithSession
    public Uni<Agent> get(String tenant, UUID id) {
        return agents.findForTenant(tenant, id).onItem().ifNull().failWith(() -> ProblemException.notFound("No agent " + id));
    }
}
