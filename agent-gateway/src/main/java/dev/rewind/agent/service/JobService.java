package dev.rewind.agent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.agent.AgentDatabase;
import dev.rewind.agent.AgentJob;
import dev.rewind.agent.JobLog;
import dev.rewind.agent.JobStage;
import dev.rewind.agent.Verification;
import dev.rewind.agent.config.AgentGatewayConfig;
import dev.rewind.agent.detection.SizeCheck;
import dev.rewind.agent.messaging.AgentJobEvents;
import dev.rewind.agent.repository.AgentDatabaseRepository;
import dev.rewind.agent.repository.AgentJobRepository;
import dev.rewind.agent.repository.JobLogRepository;
import dev.rewind.agent.repository.ScheduleRepository;
import dev.rewind.agent.repository.TargetRepository;
import dev.rewind.agent.rest.AgentMessages.JobStatusRequest;
import dev.rewind.agent.rest.AgentMessages.LogsRequest;
import dev.rewind.agent.rest.AgentMessages.StartJobRequest;
import dev.rewind.agent.rest.AgentMessages.VerificationRequest;
import dev.rewind.agent.security.CallerAgent;
import dev.rewind.commons.outbox.Outbox;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Agent jobs: start, the forward-only walk through the stages (agent.job.status on every stage change),
 * logs and restore verifications, with size and restore-failure detection.
 */
@ApplicationScoped
public class JobService {

    private final AgentJobRepository jobs;
    private final AgentDatabaseRepository databases;
    private final TargetRepository targets;
    private final ScheduleRepository schedules;
    private final JobLogRepository logs;
    private final AnomalyService anomalies;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final AgentGatewayConfig config;

    public JobService(AgentJobRepository jobs, AgentDatabaseRepository databases, TargetRepository targets,
            ScheduleRepository schedules, JobLogRepository logs, AnomalyService anomalies, Outbox outbox, ObjectMapper json,
            AgentGatewayConfig config) {
        this.jobs = jobs;
        this.databases = databases;
        this.targets = targets;
        this.schedules = schedules;
        this.logs = logs;
        this.anomalies = anomalies;
        this.outbox = outbox;
        this.json = json;
        this.config = config;
    }

    /** Starts a job of one of the agent's databases; it begins dumping at once. */
    @WithTransaction
    public Uni<AgentJob> start(CallerAgent agent, StartJobRequest request) {
        UUID agentId = agent.id();
        return databases.findForAgent(agentId, request.databaseId())
                .onItem().ifNull().failWith(() -> ProblemException.unprocessable(
                        "No database " + request.databaseId() + " among this agent's discovered databases"))
                .call(db -> targets.findForTenant(agent.tenant(), request.targetId())
                        .onItem().ifNull().failWith(() -> ProblemException.unprocessable("No target " + request.targetId())))
                .call(db -> request.scheduleId() == null ? Uni.createFrom().voidItem()
                        : schedules.findForAgent(agentId, request.scheduleId())
                                .onItem().ifNull().failWith(() -> ProblemException.unprocessable(
                                        "No schedule " + request.scheduleId() + " of this agent"))
                                .replaceWithVoid())
                .chain(db -> {
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    AgentJob job = new AgentJob();
                    job.id = UUID.randomUUID();
                    job.tenant = agent.tenant();
                    job.agentId = agentId;
                    job.databaseId = db.id;
                    job.targetId = request.targetId();
                    job.scheduleId = request.scheduleId();
                    job.stage = JobStage.dumping;
                    job.startedAt = now;
                    job.updatedAt = now;
                    return jobs.persist(job).call(saved -> outbox.publish(AgentJobEvents.status(saved, agent.hostname(), db)));
                });
    }

    /**
     * Moves the agent's job to the reported stage (or, for the stage it is in, records the figures). A stage
     * behind the current one, or any move after completed/failed, is a 409; another agent's job a 404.
     */
    @WithTransaction
    public Uni<AgentJob> updateStatus(CallerAgent agent, UUID jobId, JobStatusRequest request) {
        JobStage next = JobStage.parse(request.status()).orElseThrow(
                () -> ProblemException.badRequest("status must be one of " + JobStage.NAMES));
        return jobs.lockForAgent(agent.id(), jobId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No job " + jobId))
                .chain(job -> {
                    boolean moves = job.stage != next;
                    if (moves && !job.stage.canMoveTo(next)) {
                        return Uni.createFrom().failure(ProblemException.conflict(
                                "Job " + jobId + " is " + job.stage + "; it cannot move back or on to " + next
                                        + " (stages only move forward: " + JobStage.NAMES + ")"));
                    }
                    apply(job, next, request);
                    if (!moves) {
                        return Uni.createFrom().item(job);
                    }
                    return databases.findById(job.databaseId)
                            .call(db -> outbox.publish(AgentJobEvents.status(job, agent.hostname(), db)))
                            .call(db -> next == JobStage.completed ? checkSize(job, db) : Uni.createFrom().voidItem())
                            .replaceWith(job);
                });
    }

    private static void apply(AgentJob job, JobStage next, JobStatusRequest request) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (job.stage != next && next.isFinal()) {
            job.completedAt = now;
        }
        if (next == JobStage.encrypting) {
            job.encrypted = true;
        }
        job.stage = next;
        job.updatedAt = now;
        if (request.dumpSize() != null) {
            job.dumpSize = request.dumpSize();
        }
        if (request.compressedSize() != null) {
            job.compressedSize = request.compressedSize();
        }
        if (request.uploadPath() != null) {
            job.uploadPath = request.uploadPath();
        }
        if (request.durationMs() != null) {
            job.durationMs = request.durationMs();
        }
        if (request.errorMessage() != null) {
            job.errorMessage = request.errorMessage();
        }
        if (request.errorCode() != null) {
            job.errorCode = request.errorCode();
        }
    }

    /** A completed job far smaller than the database's recent runs raises size_anomaly. */
    private Uni<Void> checkSize(AgentJob job, AgentDatabase db) {
        if (job.compressedSize == null) {
            return Uni.createFrom().voidItem();
        }
        AgentGatewayConfig.SizeAnomaly rule = config.sizeAnomaly();
        return jobs.recentCompressedSizes(job.databaseId, job.id, rule.runs())
                .chain(previous -> SizeCheck.check(job.compressedSize, previous, rule.minRuns(), rule.dropRatio())
                        .map(drop -> {
                            Map<String, Object> details = new LinkedHashMap<>();
                            details.put("compressed_size_bytes", drop.size());
                            details.put("average_compressed_size_bytes", drop.average());
                            details.put("previous_runs", drop.runs());
                            details.put("drop_percent", drop.dropPercent());
                            return anomalies.raise(new AnomalyService.Finding(job.tenant, job.agentId, job.databaseId,
                                    db.databaseName, job.id, AnomalyService.SIZE_ANOMALY, "warning",
                                    "Backup size " + drop.dropPercent() + "% smaller than average",
                                    "Expected ~" + SizeCheck.human(drop.average()) + ", got " + SizeCheck.human(drop.size()),
                                    details)).replaceWithVoid();
                        })
                        .orElseGet(() -> Uni.createFrom().voidItem()));
    }

    /** The most log lines one job keeps: an agent cannot make its job's log, and our database, grow without end. */
    public static final long MAX_LOG_LINES_PER_JOB = 10_000;

    /** Uploads up to 100 log lines of the agent's job; 409 once the job holds {@link #MAX_LOG_LINES_PER_JOB}. */
    @WithTransaction
    public Uni<Integer> appendLogs(CallerAgent agent, UUID jobId, LogsRequest request) {
        return jobs.findForAgent(agent.id(), jobId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No job " + jobId))
                .call(job -> logs.count("jobId", job.id).invoke(held -> {
                    if (held + request.logs().size() > MAX_LOG_LINES_PER_JOB) {
                        throw ProblemException.conflict("Job " + jobId + " holds " + held + " log lines; a job keeps at most "
                                + MAX_LOG_LINES_PER_JOB);
                    }
                }))
                .chain(job -> {
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    List<JobLog> lines = request.logs().stream().map(entry -> {
                        JobLog line = new JobLog();
                        line.jobId = job.id;
                        line.level = entry.level();
                        line.message = entry.message();
                        line.loggedAt = entry.timestamp();
                        line.receivedAt = now;
                        return line;
                    }).toList();
                    return logs.persist(lines).replaceWith(lines.size());
                });
    }

    /** Records a restore verification of the agent's completed job; a failed one raises restore_failure. */
    @WithTransaction
    public Uni<Verification> verify(CallerAgent agent, UUID jobId, VerificationRequest request) {
        return jobs.findForAgent(agent.id(), jobId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No job " + jobId))
                .chain(job -> {
                    if (job.stage != JobStage.completed) {
                        return Uni.createFrom().failure(ProblemException.conflict(
                                "Job " + jobId + " is " + job.stage + "; only a completed backup can be verified"));
                    }
                    Verification verification = new Verification();
                    verification.id = UUID.randomUUID();
                    verification.tenant = job.tenant;
                    verification.jobId = job.id;
                    verification.status = request.status();
                    verification.containerId = request.containerId();
                    verification.restoreDurationMs = request.restoreDurationMs();
                    verification.checks = toJson(request.checks() == null ? List.of() : request.checks());
                    verification.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return verification.<Verification>persist()
                            .call(saved -> "passed".equals(saved.status) ? Uni.createFrom().voidItem()
                                    : raiseRestoreFailure(job, saved, request));
                });
    }

    private Uni<Void> raiseRestoreFailure(AgentJob job, Verification verification, VerificationRequest request) {
        List<String> failedChecks = request.checks() == null ? List.of()
                : request.checks().stream().filter(c -> "failed".equals(c.status())).map(c -> c.checkName()).toList();
        boolean failed = "failed".equals(verification.status);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("verification_id", verification.id.toString());
        details.put("verification_status", verification.status);
        details.put("failed_checks", failedChecks);
        return databases.findById(job.databaseId)
                .chain(db -> anomalies.raise(new AnomalyService.Finding(job.tenant, job.agentId, job.databaseId,
                        db.databaseName, job.id, AnomalyService.RESTORE_FAILURE, failed ? "critical" : "warning",
                        failed ? "Restore verification of " + db.databaseName + " failed"
                                : "Restore verification of " + db.databaseName + " could not run",
                        failedChecks.isEmpty() ? null : "Failed checks: " + String.join(", ", failedChecks), details)))
                .replaceWithVoid();
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serializable", e);
        }
    }
}
