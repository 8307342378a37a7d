package dev.rewind.runs.rest;

import dev.rewind.commons.problem.ProblemException;
import dev.rewind.runs.config.RunsConfig;
import dev.rewind.runs.security.RunsCaller;
import dev.rewind.runs.service.RunSummaryService;
import dev.rewind.runs.service.RunSummaryService.Summary;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The health of every job in the caller's ledger. */
@Path("/v1/backup-runs/summary")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Backup runs")
public class RunSummaryResource {

    static final int MAX_WINDOW_DAYS = 90;

    private final RunSummaryService service;
    private final RunsCaller caller;
    private final RunsConfig config;

    public RunSummaryResource(RunSummaryService service, RunsCaller caller, RunsConfig config) {
        this.service = service;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @PermissionsAllowed("runs:read")
    @Operation(summary = "Per job: last run, last success, success rate, stale",
            description = "One line per job_name of the tenant (and per job with an expectation but no runs yet), "
                    + "sorted by job_name. last_run is the run with the newest end_time; last_success_at the newest "
                    + "end_time of a success. success_rate = successes / runs that ended within the last window_days "
                    + "(partial is not a success; null when none ended there). stale = no success within the job's "
                    + "expected interval: its own (PUT /v1/backup-runs/jobs/{job_name}/expectation, expectation=job) "
                    + "or the service default rewind.runs.default-expected-interval, 25 h (expectation=default).")
    public Uni<Summary> summary(
            @Parameter(description = "Success-rate window in days, 1 to 90 (default 7)") @QueryParam("window_days") String windowDays) {
        return service.summary(caller.tenant(), days(windowDays));
    }

    private int days(String value) {
        if (value == null || value.isBlank()) {
            return config.defaultWindowDays();
        }
        try {
            int days = Integer.parseInt(value.trim());
            if (days >= 1 && days <= MAX_WINDOW_DAYS) {
                return days;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("Query parameter 'window_days' must be a whole number from 1 to " + MAX_WINDOW_DAYS);
    }

    @ServerExceptionMapper
    public Response error(ProblemException e) {
        return RunErrors.toResponse(e);
    }
}
