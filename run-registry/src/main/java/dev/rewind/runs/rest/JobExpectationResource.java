package dev.rewind.runs.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.runs.JobExpectation;
import dev.rewind.runs.security.RunsCaller;
import dev.rewind.runs.service.RunSummaryService;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** How often a job is expected to succeed: the summary's measure of "stale". */
@Path("/v1/backup-runs/jobs/{jobName}/expectation")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Backup runs")
public class JobExpectationResource {

    static final long MIN_SECONDS = 60;
    static final long MAX_SECONDS = Duration.ofDays(366).toSeconds();

    /** The body of PUT. */
    @Schema(name = "JobExpectationRequest")
    public record ExpectationRequest(@Schema(required = true, minimum = "60", maximum = "31622400",
            description = "The job should succeed at least once in this many seconds", examples = "86400") long expectedIntervalSeconds) {
    }

    public record ExpectationView(String jobName, long expectedIntervalSeconds, OffsetDateTime updatedAt) {

        static ExpectationView of(JobExpectation expectation) {
            return new ExpectationView(expectation.key.jobName, expectation.expectedIntervalSeconds, expectation.updatedAt);
        }
    }

    private final RunSummaryService service;
    private final RunsCaller caller;
    private final RunReportReader reader;

    public JobExpectationResource(RunSummaryService service, RunsCaller caller, RunReportReader reader) {
        this.service = service;
        this.caller = caller;
        this.reader = reader;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("runs:write")
    @Operation(summary = "Set how often a job is expected to succeed",
            description = "Replaces the service default (25 h) for this job in the summary's stale flag.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ExpectationRequest.class)))
    @APIResponse(responseCode = "200", description = "The expectation now in force")
    public Uni<ExpectationView> put(@PathParam("jobName") String jobName, String body) {
        JsonNode root = reader.object(body);
        Long seconds = RunReportReader.wholeNumber(root, "expected_interval_seconds");
        if (seconds == null) {
            throw ProblemException.badRequest("expected_interval_seconds is required");
        }
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw ProblemException.badRequest("expected_interval_seconds must be from " + MIN_SECONDS + " to " + MAX_SECONDS);
        }
        return service.expect(caller.tenant(), jobName(jobName), Duration.ofSeconds(seconds)).map(ExpectationView::of);
    }

    @GET
    @PermissionsAllowed("runs:read")
    @Operation(summary = "The job's own expectation")
    @APIResponse(responseCode = "404", description = "The job has none: the default applies")
    public Uni<ExpectationView> get(@PathParam("jobName") String jobName) {
        return service.expectation(caller.tenant(), jobName).map(ExpectationView::of);
    }

    @DELETE
    @PermissionsAllowed("runs:write")
    @Operation(summary = "Remove the job's own expectation; the default applies again")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "The job had none")
    public Uni<Void> delete(@PathParam("jobName") String jobName) {
        return service.forget(caller.tenant(), jobName);
    }

    private static String jobName(String value) {
        if (value == null || value.isBlank() || value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.badRequest("job_name must be 1 to 200 characters without control characters");
        }
        return value;
    }

    @ServerExceptionMapper
    public Response error(ProblemException e) {
        return RunErrors.toResponse(e);
    }
}
