package dev.rewind.agent.repository;

import dev.rewind.agent.Verification;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Restore verifications of agent jobs. */
@ApplicationScoped
public class VerificationRepository implements PanacheRepositoryBase<Verification, UUID> {

    public Uni<List<Verification>> listForJob(UUID jobId) {
        return list("jobId", Sort.by("createdAt").and("id"), jobId);
    }
}
