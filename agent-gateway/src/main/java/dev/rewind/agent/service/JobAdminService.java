package dev.rewind.agent.service;

import dev.rewind.agent.AgentJob;
import dev.rewind.agent.Anomaly;
import dev.rewind.agent.JobLog;
import dev.rewind.agent.JobStage;
import dev.rewind.agent.SchemaSnapshot;
import dev.rewind.agent.Verification;
import dev.rewind.agent.repository.AgentJobRepository;
import dev.rewind.agent.repository.AnomalyRepository;
import dev.rewind.agent.repository.JobLogRepository;
import dev.rewind.agent.repository.SchemaSnapshotRepository;
import dev.rewind.agent.repository.VerificationRepository;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** What admins see of their agents' work: jobs with logs, verifications and anomalies; anomalies; snapshots. */
@ApplicationScoped
public class JobAdminService {

    /** A job and everything reported about it. */
    public record JobDetail(AgentJob job, List<JobLog> logs, List<Verification> verifications, List<Anomaly> anomalies) {
    }

    private final AgentJobRepository jobs;
    private final JobLogRepository logs;
    private final VerificationRepository verifications;
    private final AnomalyRepository anomalies;
    private final SchemaSnapshotRepository snapshots;

    public JobAdminService(AgentJobRepository jobs, JobLogRepository logs, VerificationRepository verifications,
            AnomalyRepository anomalies, SchemaSnapshotRepository snapshots) {
        this.jobs = jobs;
        this.logs = logs;
        this.verifications = verifications;
        this.anomalies = anomalies;
        this.snapshots = snapshots;
    }

    @WithSession
    public Uni<List<AgentJob>> jobs(String tenant, UUID agentId, UUID databaseId, JobStage stage, int limit) {
        return jobs.listForTenant(tenant, agentId, databaseId, stage, limit);
    }

    @WithSession
    public Uni<JobDetail> job(String tenant, UUID id) {
        return jobs.findForTenant(tenant, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No job " + id))
                .chain(job -> logs.listForJob(id)
                        .chain(lines -> verifications.listForJob(id)
                                .chain(checks -> anomalies.listForJob(id)
                                        .map(found -> new JobDetail(job, lines, checks, found)))));
    }

    @WithSession
    public Uni<List<Anomaly>> anomalies(String tenant, UUID agentId, UUID databaseId, String kind, int limit) {
        return anomalies.listForTenant(tenant, agentId, databaseId, kind, limit);
    }

    @WithSession
    public Uni<Anomaly> anomaly(String tenant, UUID id) {
        return anomalies.find("tenant = ?1 and id = ?2", tenant, id).firstResult()
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No anomaly " + id));
    }

    @WithSession
    public Uni<SchemaSnapshot> snapshot(String tenant, UUID id) {
        return snapshots.find("tenant = ?1 and id = ?2", tenant, id).firstResult()
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No schema snapshot " + id));
    }
}
