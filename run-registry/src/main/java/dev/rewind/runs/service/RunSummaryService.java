package dev.rewind.runs.service;

import dev.rewind.commons.problem.ProblemException;
import dev.rewind.runs.JobExpectation;
import dev.rewind.runs.config.RunsConfig;
import dev.rewind.runs.repository.JobExpectationRepository;
import dev.rewind.runs.repository.RunSummaryRepository;
import dev.rewind.runs.repository.RunSummaryRepository.JobFigures;
import dev.rewind.runs.repository.RunSummaryRepository.LastRun;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The health of each job of a tenant: its last run, its last success, the success rate over a window, and
 * whether it is stale — no success within its expected interval (set per job, or the configured default).
 */
@ApplicationScoped
public class RunSummaryService {

    public static final String EXPECTATION_OF_JOB = "job";
    public static final String EXPECTATION_DEFAULT = "default";

    private final RunSummaryRepository figures;
    private final JobExpectationRepository expectations;
    private final RunsConfig config;

    public RunSummaryService(RunSummaryRepository figures, JobExpectationRepository expectations, RunsConfig config) {
        this.figures = figures;
        this.expectations = expectations;
        this.config = config;
    }

    /** One job's line of the summary. {@code successRate} is null when no run ended in the window. */
    public record JobSummary(String jobName, LastRun lastRun, OffsetDateTime lastSuccessAt, long runsInWindow,
            long successesInWindow, Double successRate, long expectedIntervalSeconds, String expectation, boolean stale) {
    }

    public record Summary(OffsetDateTime asOf, int windowDays, List<JobSummary> jobs) {
    }

    @WithSession
    public Uni<Summary> summary(String tenant, int windowDays) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return expectations.listOf(tenant).chain(expected -> figures.figures(tenant, now.minusDays(windowDays)).map(jobs -> {
            Map<String, Long> intervals = expected.stream()
                    .collect(Collectors.toMap(e -> e.key.jobName, e -> e.expectedIntervalSeconds));
            Map<String, JobFigures> byJob = new TreeMap<>(jobs.stream().collect(Collectors.toMap(JobFigures::jobName, Function.identity())));
            // a job that is expected but never reported is part of the summary too: it is the stalest of all
            intervals.keySet().forEach(job -> byJob.putIfAbsent(job, new JobFigures(job, null, null, 0, 0)));
            List<JobSummary> lines = new ArrayList<>();
            for (JobFigures job : byJob.values()) {
                Long own = intervals.get(job.jobName());
                long interval = own != null ? own : config.defaultExpectedInterval().toSeconds();
                boolean stale = job.lastSuccessAt() == null || job.lastSuccessAt().isBefore(now.minusSeconds(interval));
                Double rate = job.runsInWindow() == 0 ? null : (double) job.successesInWindow() / job.runsInWindow();
                lines.add(new JobSummary(job.jobName(), job.lastRun(), job.lastSuccessAt(), job.runsInWindow(),
                        job.successesInWindow(), rate, interval, own != null ? EXPECTATION_OF_JOB : EXPECTATION_DEFAULT, stale));
            }
            return new Summary(now, windowDays, lines);
        }));
    }

    /** Sets how often the job is expected to succeed. */
    @WithTransaction
    public Uni<JobExpectation> expect(String tenant, String jobName, Duration interval) {
        JobExpectation.Key key = new JobExpectation.Key(tenant, jobName);
        return expectations.findById(key).chain(existing -> {
            JobExpectation expectation = existing != null ? existing : new JobExpectation();
            expectation.key = key;
            expectation.expectedIntervalSeconds = interval.toSeconds();
            expectation.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return existing != null ? Uni.createFrom().item(expectation) : expectations.persist(expectation);
        });
    }

    @WithSession
    public Uni<JobExpectation> expectation(String tenant, String jobName) {
        if (!Names.storable(jobName)) {
            return Uni.createFrom().failure(ProblemException.notFound("No expectation for job " + jobName));
        }
        return expectations.findById(new JobExpectation.Key(tenant, jobName))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No expectation for job " + jobName));
    }

    /** Removes the job's own expectation: the default applies again. 404 when it had none. */
    @WithTransaction
    public Uni<Void> forget(String tenant, String jobName) {
        if (!Names.storable(jobName)) {
            return Uni.createFrom().failure(ProblemException.notFound("No expectation for job " + jobName));
        }
        return expectations.deleteById(new JobExpectation.Key(tenant, jobName)).invoke(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("No expectation for job " + jobName);
            }
        }).replaceWithVoid();
    }
}
