package dev.rewind.runs.service;

import dev.rewind.commons.messaging.IdempotentConsumer;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.runs.BackupRun;
import dev.rewind.runs.repository.BackupRunRepository;
import dev.rewind.runs.repository.BackupRunRepository.Position;
import dev.rewind.runs.repository.BackupRunRepository.RunFilter;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The rules of the ledger. */
@ApplicationScoped
public class BackupRunService {

    /** What reported a run through the API. */
    public static final String API_SOURCE = "api";

    private final BackupRunRepository runs;
    private final IdempotentConsumer idempotent;

    public BackupRunService(BackupRunRepository runs, IdempotentConsumer idempotent) {
        this.runs = runs;
        this.idempotent = idempotent;
    }

    /** One page of the list and where the next one starts (null on the last page). */
    public record Page(List<BackupRun> runs, Position next) {
    }

    @WithSession
    public Uni<Page> list(String tenant, RunFilter filter) {
        return runs.list(tenant, filter, filter.limit() + 1).map(found -> {
            if (found.size() <= filter.limit()) {
                return new Page(found, null);
            }
            List<BackupRun> page = found.subList(0, filter.limit());
            BackupRun last = page.get(page.size() - 1);
            return new Page(page, new Position(last.receivedAt, last.key.runId));
        });
    }

    @WithSession
    public Uni<BackupRun> get(String tenant, String runId) {
        if (!Names.storable(runId)) {
            return Uni.createFrom().failure(ProblemException.notFound("No backup run " + runId));
        }
        return runs.findById(new BackupRun.Key(tenant, runId))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No backup run " + runId));
    }

    /**
     * Stores a reported run: a new run_id is added, a known one overwritten with the new values and a new
     * received_at. One statement, so no session or transaction is needed. A run the services recorded from their
     * events (backup-service, pitr-service) is the ledger's own account of what happened: a report cannot overwrite
     * it (409).
     */
    public Uni<BackupRun> record(String tenant, RunReport report, String source) {
        RunReport checked = report.check();
        return runs.upsert(toRun(tenant, checked, source)).onItem().ifNull().failWith(() -> ProblemException.conflict(
                "The run " + checked.runId() + " was recorded by a Rewind service from its events and cannot be overwritten by a report;"
                        + " report it under another run_id"));
    }

    /**
     * Stores a run learned from an event, at most once per event id: the run and the mark that the event was
     * handled commit together. A redelivered event is skipped; a new event about the same backup (same
     * run_id) overwrites the run.
     *
     * @return true when the run was stored, false when the event had been handled before
     */
    public Uni<Boolean> recordFromEvent(String consumer, String eventId, String tenant, RunReport report, String source) {
        BackupRun run = toRun(tenant, report.check(), source);
        return idempotent.handleOnce(consumer, eventId, () -> runs.upsertInSession(run));
    }

    /** Removes the run; 404 when the tenant has no such run. */
    @WithTransaction
    public Uni<Void> delete(String tenant, String runId) {
        if (!Names.storable(runId)) {
            return Uni.createFrom().failure(ProblemException.notFound("No backup run " + runId));
        }
        return runs.deleteById(new BackupRun.Key(tenant, runId))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw ProblemException.notFound("No backup run " + runId);
                    }
                })
                .replaceWithVoid();
    }

    private static BackupRun toRun(String tenant, RunReport report, String source) {
        BackupRun run = new BackupRun();
        run.key = new BackupRun.Key(tenant, report.runId());
        run.jobName = report.jobName();
        run.agentId = report.agentId();
        run.startTime = report.startTime();
        run.endTime = report.endTime();
        run.status = report.status();
        run.bytesBackedUp = report.bytesBackedUp();
        run.encrypted = report.encrypted();
        run.encryptionStatus = report.encryptionStatus();
        run.error = report.error();
        run.metadata = report.metadata();
        run.source = source;
        // PostgreSQL keeps microseconds: the value answered is then exactly the value stored (and paged on)
        run.receivedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        return run;
    }
}
