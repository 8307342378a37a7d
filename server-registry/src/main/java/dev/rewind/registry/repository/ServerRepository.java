package dev.rewind.registry.repository;

import dev.rewind.registry.Server;
import dev.rewind.registry.ServerStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

/** Servers, within one tenant — except {@link #findForUpdate}, for the platform's own consumers. */
@ApplicationScoped
public class ServerRepository implements PanacheRepositoryBase<Server, UUID> {

    public Uni<Server> findForTenant(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResult();
    }

    /** The tenant's server, locked until the transaction ends: concurrent changes of one server queue up. */
    public Uni<Server> findForTenantForUpdate(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Any tenant's server, locked until the transaction ends (the onboarding saga, service accounts). */
    public Uni<Server> findForUpdate(UUID id) {
        return find("id = ?1", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<List<Server>> listForTenant(String tenant, boolean includeDecommissioned) {
        return includeDecommissioned
                ? list("tenant = ?1", Sort.by("createdAt").and("id"), tenant)
                : list("tenant = ?1 and status <> ?2", Sort.by("createdAt").and("id"), tenant, ServerStatus.decommissioned);
    }

    /** Whether another live server of the tenant (not {@code except}) has the name, ignoring case. */
    public Uni<Boolean> nameInUse(String tenant, String name, UUID except) {
        return except == null
                ? count("tenant = ?1 and lower(name) = lower(?2) and status <> ?3", tenant, name, ServerStatus.decommissioned)
                        .map(n -> n > 0)
                : count("tenant = ?1 and lower(name) = lower(?2) and status <> ?3 and id <> ?4", tenant, name,
                        ServerStatus.decommissioned, except).map(n -> n > 0);
    }
}
