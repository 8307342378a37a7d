package dev.rewind.pitr.repository;

import dev.rewind.pitr.PitrRun;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** PITR runs, always within one tenant. */
@ApplicationScoped
public class PitrRunRepository implements PanacheRepositoryBase<PitrRun, UUID> {

    public Uni<List<PitrRun>> history(String tenant, UUID serverId, String status, int limit) {
        String query = "tenant = :tenant and serverId = :serverId" + (status == null ? "" : " and status = :status");
        Parameters params = Parameters.with("tenant", tenant).and("serverId", serverId);
        if (status != null) {
            params.and("status", status);
        }
        return find(query, Sort.descending("startedAt", "id"), params).page(0, limit).list();
    }

    public Uni<PitrRun> findForTenant(String tenant, UUID serverId, UUID id) {
        return find("tenant = ?1 and serverId = ?2 and id = ?3", tenant, serverId, id).firstResult();
    }
}
