package dev.rewind.agent.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.agent.Anomaly;
import dev.rewind.agent.JobStage;
import dev.rewind.agent.rest.AdminMessages.AnomalyView;
import dev.rewind.agent.rest.AdminMessages.JobDetailView;
import dev.rewind.agent.rest.AdminMessages.JobView;
import dev.rewind.agent.rest.AdminMessages.LogView;
import dev.rewind.agent.rest.AdminMessages.SnapshotView;
import dev.rewind.agent.rest.AdminMessages.VerificationView;
import dev.rewind.agent.service.JobAdminService;
import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.rest.QueryParams;
import dev.rewind.commons.tenant.CallerTenant;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the tenant's agents did: jobs with their logs, verifications and anomalies; anomalies; schema snapshots. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Agent jobs and anomalies (admin)")
public class JobAdminResource {

    private static final Set<String> STAGES = Arrays.stream(JobStage.values()).map(Enum::name).collect(Collectors.toSet());
    private static final Set<String> KINDS = Set.of("schema_drift", "size_anomaly", "restore_failure");

    private final JobAdminService service;
    private final CallerTenant tenant;
    private final ObjectMapper json;

    public JobAdminResource(JobAdminService service, CallerTenant tenant, ObjectMapper json) {
        this.service = service;
        this.tenant = tenant;
        this.json = json;
    }

    @GET
    @Path("/jobs")
    @PermissionsAllowed("agents:manage")
    public Uni<List<JobView>> jobs(@QueryParam("agentId") String agentId, @QueryParam("databaseId") String databaseId,
            @QueryParam("status") String status, @QueryParam("limit") String limit) {
        String stage = QueryParams.oneOf("status", status, STAGES);
        return service.jobs(tenant.id(), QueryParams.uuid("agentId", agentId), QueryParams.uuid("databaseId", databaseId),
                        stage == null ? null : JobStage.valueOf(stage), QueryParams.limit(limit, 50, 500))
                .map(list -> list.stream().map(JobView::of).toList());
    }

    @GET
    @Path("/jobs/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<JobDetailView> job(@PathParam("id") String id) {
        return service.job(tenant.id(), PathIds.uuid(id, "job")).map(detail -> new JobDetailView(
                JobView.of(detail.job()),
                detail.logs().stream().map(LogView::of).toList(),
                detail.verifications().stream().map(v -> new VerificationView(v.id, v.status, v.containerId,
                        v.restoreDurationMs, read(v.checks), v.createdAt)).toList(),
                detail.anomalies().stream().map(this::view).toList()));
    }

    @GET
    @Path("/anomalies")
    @PermissionsAllowed("agents:manage")
    public Uni<List<AnomalyView>> anomalies(@QueryParam("agentId") String agentId, @QueryParam("databaseId") String databaseId,
            @QueryParam("type") String type, @QueryParam("limit") String limit) {
        return service.anomalies(tenant.id(), QueryParams.uuid("agentId", agentId), QueryParams.uuid("databaseId", databaseId),
                        QueryParams.oneOf("type", type, KINDS), QueryParams.limit(limit, 50, 500))
                .map(list -> list.stream().map(this::view).toList());
    }

    @GET
    @Path("/anomalies/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<AnomalyView> anomaly(@PathParam("id") String id) {
        return service.anomaly(tenant.id(), PathIds.uuid(id, "anomaly")).map(this::view);
    }

    @GET
    @Path("/schema-snapshots/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<SnapshotView> snapshot(@PathParam("id") String id) {
        return service.snapshot(tenant.id(), PathIds.uuid(id, "schema snapshot")).map(s -> new SnapshotView(s.id, s.agentId,
                s.databaseId, read(s.snapshot), s.tableCount, s.columnCount, s.createdAt));
    }

    private AnomalyView view(Anomaly anomaly) {
        return AnomalyView.of(anomaly, read(anomaly.details));
    }

    private JsonNode read(String stored) {
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }
}
