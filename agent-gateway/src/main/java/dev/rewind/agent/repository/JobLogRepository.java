package dev.rewind.agent.repository;

import dev.rewind.agent.JobLog;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Log lines of agent jobs. */
@ApplicationScoped
public class JobLogRepository implements PanacheRepositoryBase<JobLog, Long> {

    public Uni<List<JobLog>> listForJob(UUID jobId) {
        return list("jobId", Sort.by("loggedAt").and("id"), jobId);
    }
}
