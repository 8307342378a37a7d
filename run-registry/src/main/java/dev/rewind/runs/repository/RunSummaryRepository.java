package dev.rewind.runs.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Per-job figures of a tenant's ledger, computed by PostgreSQL in one statement. */
@ApplicationScoped
public class RunSummaryRepository {

    /**
     * The newest run of each job (by end_time, then received_at), its newest success, and the runs and successes
     * that ended inside the window.
     */
    private static final String SUMMARY = """
            with last_run as (
                select distinct on (job_name) job_name, run_id, status, start_time, end_time, received_at
                  from backup_run where tenant = $1
                 order by job_name, end_time desc, received_at desc, run_id desc
            ), figures as (
                select job_name,
                       max(end_time) filter (where status = 'success') as last_success_at,
                       count(*) filter (where end_time >= $2) as runs_in_window,
                       count(*) filter (where end_time >= $2 and status = 'success') as successes_in_window
                  from backup_run where tenant = $1
                 group by job_name
            )
            select f.job_name, f.last_success_at, f.runs_in_window, f.successes_in_window,
                   l.run_id, l.status, l.start_time, l.end_time, l.received_at
              from figures f join last_run l on l.job_name = f.job_name
             order by f.job_name""";

    private final Pool pool;

    public RunSummaryRepository(Pool pool) {
        this.pool = pool;
    }

    /** The newest run of a job. */
    public record LastRun(String runId, String status, OffsetDateTime startTime, OffsetDateTime endTime,
            OffsetDateTime receivedAt) {
    }

    /** What the ledger holds about one job. */
    public record JobFigures(String jobName, LastRun lastRun, OffsetDateTime lastSuccessAt, long runsInWindow,
            long successesInWindow) {
    }

    public Uni<List<JobFigures>> figures(String tenant, OffsetDateTime windowStart) {
        return pool.preparedQuery(SUMMARY).execute(Tuple.of(tenant, windowStart)).map(rows -> {
            List<JobFigures> jobs = new ArrayList<>();
            for (Row row : rows) {
                jobs.add(new JobFigures(row.getString("job_name"),
                        new LastRun(row.getString("run_id"), row.getString("status"), row.getOffsetDateTime("start_time"),
                                row.getOffsetDateTime("end_time"), row.getOffsetDateTime("received_at")),
                        row.getOffsetDateTime("last_success_at"), row.getLong("runs_in_window"),
                        row.getLong("successes_in_window")));
            }
            return jobs;
        });
    }
}
