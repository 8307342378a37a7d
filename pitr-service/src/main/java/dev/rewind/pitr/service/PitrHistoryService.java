package dev.rewind.pitr.service;

import dev.rewind.commons.problem.ProblemException;
import dev.rewind.pitr.PitrRun;
import dev.rewind.pitr.repository.PitrRunRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Reading the PITR runs of the caller's tenant. */
@ApplicationScoped
public class PitrHistoryService {

    private final PitrRunRepository runs;
    private final ServerProjectionService servers;

    public PitrHistoryService(PitrRunRepository runs, ServerProjectionService servers) {
        this.runs = runs;
        this.servers = servers;
    }

    /** The runs of one of the tenant's servers; another tenant's server (or none) is a 404, as on every server path. */
    @WithSession
    public Uni<List<PitrRun>> history(String tenant, UUID serverId, String status, int limit) {
        return servers.ofTenant(tenant, serverId).chain(server -> runs.history(tenant, serverId, status, limit));
    }

    @WithSession
    public Uni<PitrRun> get(String tenant, UUID serverId, UUID id) {
        return servers.ofTenant(tenant, serverId).chain(server -> runs.findForTenant(tenant, serverId, id))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No PITR run " + id + " for server " + serverId));
    }
}
