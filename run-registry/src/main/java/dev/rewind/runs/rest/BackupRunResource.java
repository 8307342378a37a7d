package dev.rewind.runs.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.commons.rest.QueryParams;
import dev.rewind.runs.BackupRun;
import dev.rewind.runs.repository.BackupRunRepository.RunFilter;
import dev.rewind.runs.security.RunsCaller;
import dev.rewind.runs.service.BackupRunService;
import dev.rewind.runs.service.RunReport;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The backup run ledger of shared/reference/run-registry-api.txt. Callers are OIDC tokens (runs:read,
 * runs:write, runs:delete) or the tenant's API tokens (runs:read and runs:write). A 400 here is the reference's
 * {@code {"error": "..."}}; other errors are problem+json.
 */
@Path("/v1/backup-runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Backup runs")
public class BackupRunResource {

    static final String NEXT_CURSOR = "X-Next-Cursor";
    /** Far above any valid report (16 KiB metadata, 16 KiB error, a few short fields). */
    static final int MAX_BODY_CHARS = 256 * 1024;

    private final BackupRunService service;
    private final RunsCaller caller;
    private final RunReportReader reader;
    private final ObjectMapper json;

    public BackupRunResource(BackupRunService service, RunsCaller caller, RunReportReader reader, ObjectMapper json) {
        this.service = service;
        this.caller = caller;
        this.reader = reader;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("runs:write")
    @Operation(summary = "Submit a backup run report",
            description = "The server adds received_at. Submitting an existing run_id overwrites it (one run, the new "
                    + "values, a new received_at), unless a Rewind service recorded that run from its events (409). "
                    + "400 {\"error\": \"...\"} names the first invalid field.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BackupRunRequest.class)))
    @APIResponse(responseCode = "201", description = "The stored run",
            content = @Content(schema = @Schema(implementation = BackupRunView.class)))
    @APIResponse(responseCode = "400", description = "Invalid report: {\"error\": \"...\"} naming the field",
            content = @Content(schema = @Schema(implementation = RunErrors.RunError.class)))
    @APIResponse(responseCode = "409", description = "The run_id is a run a Rewind service recorded from its events")
    public Uni<RestResponse<BackupRunView>> submit(String body) {
        if (body != null && body.length() > MAX_BODY_CHARS) {
            throw new ProblemException(new Problem("Content Too Large", 413,
                    "A run report is at most " + MAX_BODY_CHARS / 1024 + " KiB (metadata at most 16 KiB)"));
        }
        RunReport report = reader.report(body);
        return service.record(caller.tenant(), report, BackupRunService.API_SOURCE)
                .map(run -> RestResponse.ResponseBuilder.<BackupRunView>created(URI.create("/v1/backup-runs/" + run.key.runId))
                        .entity(view(run))
                        .build());
    }

    @GET
    @PermissionsAllowed("runs:read")
    @Operation(summary = "List backup runs, newest received_at first",
            description = "A JSON array, as the reference fixes it. When more runs match, the response carries the "
                    + "next page's cursor in the X-Next-Cursor header and a Link header with rel=\"next\"; pass the "
                    + "cursor back unchanged (with the same filters) to read on. No header: this was the last page.")
    @APIResponse(responseCode = "200", description = "One page of runs",
            headers = {
                @Header(name = NEXT_CURSOR, description = "Opaque cursor of the next page; absent on the last page",
                        schema = @Schema(type = SchemaType.STRING)),
                @Header(name = "Link", description = "<...?cursor=...>; rel=\"next\" — the next page's URL, filters kept",
                        schema = @Schema(type = SchemaType.STRING))
            },
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = BackupRunView.class)))
    public Uni<RestResponse<List<BackupRunView>>> list(
            @Parameter(description = "success, failure or partial") @QueryParam("status") String status,
            @QueryParam("job_name") String jobName,
            @QueryParam("agent_id") String agentId,
            @Parameter(description = "Runs that started at or after this ISO-8601 time") @QueryParam("since") String since,
            @Parameter(description = "Runs that started at or before this ISO-8601 time") @QueryParam("until") String until,
            @Parameter(description = "Page size, 1 to 200 (default 50)") @QueryParam("limit") String limit,
            @Parameter(description = "The X-Next-Cursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        OffsetDateTime from = QueryParams.time("since", since);
        OffsetDateTime to = QueryParams.time("until", until);
        QueryParams.range(from, to);
        RunFilter filter = new RunFilter(QueryParams.oneOf("status", status, RunReport.STATUSES), blankToNull(jobName),
                blankToNull(agentId), from, to, RunCursor.decode(cursor), QueryParams.limit(limit, 50, 200));
        return service.list(caller.tenant(), filter).map(page -> {
            RestResponse.ResponseBuilder<List<BackupRunView>> response =
                    RestResponse.ResponseBuilder.ok(page.runs().stream().map(this::view).toList());
            if (page.next() != null) {
                String next = RunCursor.encode(page.next());
                URI nextPage = uri.getRequestUriBuilder().replaceQueryParam("cursor", next).build();
                response.header(NEXT_CURSOR, next)
                        .header("Link", "<" + nextPage.getRawPath() + "?" + nextPage.getRawQuery() + ">; rel=\"next\"");
            }
            return response.build();
        });
    }

    @GET
    @Path("/{runId}")
    @PermissionsAllowed("runs:read")
    @Operation(summary = "Get a backup run")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No such run in the caller's tenant")
    public Uni<BackupRunView> get(@PathParam("runId") String runId) {
        return service.get(caller.tenant(), runId).map(this::view);
    }

    @DELETE
    @Path("/{runId}")
    @PermissionsAllowed("runs:delete")
    @Operation(summary = "Delete a backup run", description = "Needs runs:delete (an OIDC token; API tokens cannot delete).")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such run in the caller's tenant")
    public Uni<Void> delete(@PathParam("runId") String runId) {
        return service.delete(caller.tenant(), runId);
    }

    /** 400s of this resource are the reference's {"error": "..."}; the rest stay problem+json. */
    @ServerExceptionMapper
    public Response error(ProblemException e) {
        return RunErrors.toResponse(e);
    }

    private BackupRunView view(BackupRun run) {
        try {
            return BackupRunView.of(run, run.metadata == null ? null : json.readTree(run.metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + run.key.runId + " has unreadable metadata", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
