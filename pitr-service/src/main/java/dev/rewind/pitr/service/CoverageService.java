package dev.rewind.pitr.service;

import dev.rewind.commons.problem.ProblemException;
import dev.rewind.pitr.Baseline;
import dev.rewind.pitr.BinlogGap;
import dev.rewind.pitr.Server;
import dev.rewind.pitr.repository.IndexRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** The PITR coverage of a server and its row history, within the caller's tenant. */
@ApplicationScoped
public class CoverageService {

    private final IndexRepository index;

    private final ServerProjectionService servers;

    public CoverageService(IndexRepository index, ServerProjectionService servers) {
        this.index = index;
        this.servers = servers;
    }

    public record Coverage(IndexRepository.Window window, List<BinlogGap> gaps, List<Baseline> baselines) {
    }

    @WithSession
    public Uni<Coverage> coverage(String tenant, UUID serverId) {
        return server(tenant, serverId)
                .chain(server -> index.window(serverId))
                .chain(window -> BinlogGap.<BinlogGap>list("serverId = ?1 order by gapStart", serverId)
                        .chain(gaps -> Baseline.<Baseline>list(
                                        "tenant = ?1 and serverId = ?2 and deletedAt is null order by completedAt", tenant, serverId)
                                .map(baselines -> new Coverage(window, gaps, baselines))));
    }

    @WithSession
    public Uni<List<IndexRepository.EventRow>> events(String tenant, IndexRepository.EventQuery query) {
        return server(tenant, query.serverId()).chain(server -> index.events(query));
    }

    private Uni<Server> server(String tenant, UUID serverId) {
        return servers.ofTenant(tenant, serverId);
    }
}
