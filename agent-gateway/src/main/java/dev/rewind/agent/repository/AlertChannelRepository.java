package dev.rewind.agent.repository;

import dev.rewind.agent.AlertChannel;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Alert channels of a tenant. */
@ApplicationScoped
public class AlertChannelRepository implements PanacheRepositoryBase<AlertChannel, UUID> {

    public Uni<List<AlertChannel>> listForTenant(String tenant) {
        return list("tenant", Sort.by("createdAt").and("id"), tenant);
    }

    public Uni<AlertChannel> findForTenant(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResult();
    }

    public Uni<Boolean> nameInUse(String tenant, String name, UUID exceptId) {
        return count("tenant = ?1 and name = ?2 and id <> ?3", tenant, name, exceptId).map(n -> n > 0);
    }
}
