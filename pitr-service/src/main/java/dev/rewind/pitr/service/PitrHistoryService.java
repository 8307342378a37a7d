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

    public PitrHistoryService(PitrRunRepository runs) {
        this.runs = runs;
    }

    @WithSession
    public Uni<List<PitrRun>> history(String tenant, UUID serverId, String status, int limit) {
        return runs.history(tenant, serverId, status, limit);
    }

    @WithSession
    public Uni<PitrRun> get(String tenant, UUID serverId, UUID id) {
        return runs.findForTenant(tenant, serverId, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No PITR run " + id + " for server " + serverId));
    }
}
