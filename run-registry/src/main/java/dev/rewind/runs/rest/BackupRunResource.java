package dev.rewind.runs.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.commons.rest.QueryParams;
import dev.rewind.commons.tenant.CallerTenant;
import dev.rewind.runs.BackupRun;
import dev.rewind.runs.repository.BackupRunRepository.RunFilter;
import dev.rewind.runs.service.BackupRunService;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The backup run ledger of shared/reference/run-registry-api.txt. */
@Path("/v1/backup-runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Backup runs")
public class BackupRunResource {

    static final Set<String> STATUSES = Set.of("success", "failure", "partial");

    private final BackupRunService service;
    private final CallerTenant tenant;
    private final ObjectMapper json;

    public BackupRunResource(BackupRunService service, CallerTenant tenant, ObjectMapper json) {
        this.service = service;
        this.tenant = tenant;
        this.json = json;
    }

    @GET
    @PermissionsAllowed("runs:read")
    public Uni<List<BackupRunView>> list(@QueryParam("status") String status, @QueryParam("job_name") String jobName,
            @QueryParam("agent_id") String agentId, @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("limit") String limit) {
        OffsetDateTime from = QueryParams.time("since", since);
        OffsetDateTime to = QueryParams.time("until", until);
        QueryParams.range(from, to);
        RunFilter filter = new RunFilter(QueryParams.oneOf("status", status, STATUSES), blankToNull(jobName),
                blankToNull(agentId), from, to, QueryParams.limit(limit, 50, 200));
        return service.list(tenant.id(), filter).map(runs -> runs.stream().map(this::view).toList());
    }

    @GET
    @Path("/{runId}")
    @PermissionsAllowed("runs:read")
    public Uni<BackupRunView> get(@PathParam("runId") String runId) {
        return service.get(tenant.id(), runId).map(this::view);
    }

    @DELETE
    @Path("/{runId}")
    @PermissionsAllowed("runs:delete")
    public Uni<Void> delete(@PathParam("runId") String runId) {
        return service.delete(tenant.id(), runId);
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
