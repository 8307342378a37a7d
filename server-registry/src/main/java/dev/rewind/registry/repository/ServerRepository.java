package dev.rewind.registry.repository;

import dev.rewind.registry.Server;
import dev.rewind.registry.ServerStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Servers, always within one tenant. */
@ApplicationScoped
public class ServerRepository implements PanacheRepositoryBase<Server, UUID> {

    public Uni<Server> findForTenant(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResult();
    }

    public Uni<List<Server>> listForTenant(String tenant, boolean includeDecommissioned) {
        return includeDecommissioned
                ? list("tenant = ?1", Sort.by("createdAt").and("id"), tenant)
                : list("tenant = ?1 and status <> ?2", Sort.by("createdAt").and("id"), tenant, ServerStatus.decommissioned);
    }

    public Uni<Boolean> nameInUse(String tenant, String name) {
        return count("tenant = ?1 and lower(name) = lower(?2) and status <> ?3", tenant, name, ServerStatus.decommissioned)
                .map(n -> n > 0);
    }
}
