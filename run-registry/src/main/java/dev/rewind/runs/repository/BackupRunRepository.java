package dev.rewind.runs.repository;

import dev.rewind.runs.BackupRun;
import dev.rewind.commons.repository.Filter;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The ledger, always within one tenant. */
@ApplicationScoped
public class BackupRunRepository implements PanacheRepositoryBase<BackupRun, BackupRun.Key> {

    /**
     * One statement, one round trip: the report of a POST is stored whether or not its run_id exists, and the
     * stored row comes back. No read-then-write, so concurrent reports of one run_id cannot collide. A run stored by
     * another source (a service, from its events) is not overwritten: no row comes back.
     */
    private static final String UPSERT = """
            insert into backup_run (tenant, run_id, job_name, agent_id, start_time, end_time, status, bytes_backed_up,
                                    encrypted, encryption_status, error, metadata, source, received_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            on conflict (tenant, run_id) do update set
                job_name = excluded.job_name, agent_id = excluded.agent_id, start_time = excluded.start_time,
                end_time = excluded.end_time, status = excluded.status, bytes_backed_up = excluded.bytes_backed_up,
                encrypted = excluded.encrypted, encryption_status = excluded.encryption_status, error = excluded.error,
                metadata = excluded.metadata, source = excluded.source, received_at = excluded.received_at
            where backup_run.source = excluded.source
            returning tenant, run_id, job_name, agent_id, start_time, end_time, status, bytes_backed_up, encrypted,
                      encryption_status, error, metadata, source, received_at""";

    private final Pool pool;

    public BackupRunRepository(Pool pool) {
        this.pool = pool;
    }

    /** Filters of the list; any may be null. {@code after} is the last run of the previous page. */
    public record RunFilter(String status, String jobName, String agentId, OffsetDateTime since, OffsetDateTime until,
            Position after, int limit) {
    }

    /** A place in the list order (received_at, then run_id, both descending). */
    public record Position(OffsetDateTime receivedAt, String runId) {
    }

    /** Up to {@code limit} runs, newest received first, starting after {@code filter.after()}. */
    public Uni<List<BackupRun>> list(String tenant, RunFilter filter, int limit) {
        Position after = filter.after();
        Filter where = Filter.where("key.tenant", tenant)
                .eq("status", filter.status())
                .eq("jobName", filter.jobName())
                .eq("agentId", filter.agentId())
                .atLeast("startTime", "since", filter.since())
                .atMost("startTime", "until", filter.until())
                .and(after != null, "(receivedAt < :afterReceived or (receivedAt = :afterReceived and key.runId < :afterRun))",
                        after == null ? Map.of() : Map.of("afterReceived", after.receivedAt(), "afterRun", after.runId()));
        return find(where.query(), Sort.descending("receivedAt", "key.runId"), where.params()).page(0, limit).list();
    }

    /**
     * Stores the run (insert, or overwrite of a run of the same tenant, run_id and source) outside any session;
     * answers the stored row, or null when the run_id belongs to a run of another source, which is left as it was.
     */
    public Uni<BackupRun> upsert(BackupRun run) {
        Tuple values = Tuple.from(Arrays.asList(run.key.tenant, run.key.runId, run.jobName, run.agentId, run.startTime,
                run.endTime, run.status, run.bytesBackedUp, run.encrypted, run.encryptionStatus, run.error, run.metadata,
                run.source, run.receivedAt));
        return pool.preparedQuery(UPSERT).execute(values).map(rows -> rows.size() == 0 ? null : toRun(rows.iterator().next()));
    }

    /** Stores the run in the current session's transaction: the stored row is updated in place, or the run persisted. */
    public Uni<BackupRun> upsertInSession(BackupRun run) {
        return findById(run.key).chain(existing -> {
            if (existing == null) {
                return persist(run);
            }
            existing.jobName = run.jobName;
            existing.agentId = run.agentId;
            existing.startTime = run.startTime;
            existing.endTime = run.endTime;
            existing.status = run.status;
            existing.bytesBackedUp = run.bytesBackedUp;
            existing.encrypted = run.encrypted;
            existing.encryptionStatus = run.encryptionStatus;
            existing.error = run.error;
            existing.metadata = run.metadata;
            existing.source = run.source;
            existing.receivedAt = run.receivedAt;
            return Uni.createFrom().item(existing);
        });
    }

    private static BackupRun toRun(Row row) {
        BackupRun run = new BackupRun();
        run.key = new BackupRun.Key(row.getString("tenant"), row.getString("run_id"));
        run.jobName = row.getString("job_name");
        run.agentId = row.getString("agent_id");
        run.startTime = row.getOffsetDateTime("start_time");
        run.endTime = row.getOffsetDateTime("end_time");
        run.status = row.getString("status");
        run.bytesBackedUp = row.getLong("bytes_backed_up");
        run.encrypted = row.getBoolean("encrypted");
        run.encryptionStatus = row.getString("encryption_status");
        run.error = row.getString("error");
        run.metadata = row.getString("metadata");
        run.source = row.getString("source");
        run.receivedAt = row.getOffsetDateTime("received_at");
        return run;
    }
}
