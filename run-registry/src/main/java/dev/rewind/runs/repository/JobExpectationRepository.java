package dev.rewind.runs.repository;

import dev.rewind.runs.JobExpectation;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Per-job expectations of a tenant. */
@ApplicationScoped
public class JobExpectationRepository implements PanacheRepositoryBase<JobExpectation, JobExpectation.Key> {

    public Uni<List<JobExpectation>> listOf(String tenant) {
        return list("key.tenant", tenant);
    }
}
