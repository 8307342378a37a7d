package dev.rewind.agent.rest;

import dev.rewind.agent.rest.AgentMessages.AnomalyRequest;
import dev.rewind.agent.rest.AgentMessages.AnomalyResponse;
import dev.rewind.agent.rest.AgentMessages.HeartbeatRequest;
import dev.rewind.agent.rest.AgentMessages.HeartbeatResponse;
import dev.rewind.agent.rest.AgentMessages.JobStatusRequest;
import dev.rewind.agent.rest.AgentMessages.LogsRequest;
import dev.rewind.agent.rest.AgentMessages.LogsResponse;
import dev.rewind.agent.rest.AgentMessages.RegisterRequest;
import dev.rewind.agent.rest.AgentMessages.RegisterResponse;
import dev.rewind.agent.rest.AgentMessages.SchemaSnapshotRequest;
import dev.rewind.agent.rest.AgentMessages.SchemaSnapshotResponse;
import dev.rewind.agent.rest.AgentMessages.StartJobRequest;
import dev.rewind.agent.rest.AgentMessages.StartJobResponse;
import dev.rewind.agent.rest.AgentMessages.SuccessResponse;
import dev.rewind.agent.rest.AgentMessages.VerificationRequest;
import dev.rewind.agent.rest.AgentMessages.VerificationResponse;
import dev.rewind.agent.security.AgentKeyIdentityProvider;
import dev.rewind.agent.security.CallerAgent;
import dev.rewind.agent.service.AgentConfigService;
import dev.rewind.agent.service.AnomalyService;
import dev.rewind.agent.service.HeartbeatService;
import dev.rewind.agent.service.JobService;
import dev.rewind.agent.service.RegistrationService;
import dev.rewind.agent.service.SnapshotService;
import dev.rewind.commons.rest.PathIds;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The agent API of shared/reference/agent-api.txt. Every endpoint but {@code register} takes the agent's API
 * key ({@code Authorization: Bearer bak_...}); an agent reaches only its own jobs.
 */
@Path("/api/v1/agent")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Agent API", description = "What backup agents on customer hosts call")
public class AgentResource {

    /** The header (besides the ETag) carrying the config hash a heartbeat should report. */
    public static final String CONFIG_HASH_HEADER = "X-Config-Hash";

    private final RegistrationService registration;
    private final HeartbeatService heartbeats;
    private final AgentConfigService configs;
    private final JobService jobs;
    private final SnapshotService snapshots;
    private final AnomalyService anomalies;
    private final CallerAgent agent;

    public AgentResource(RegistrationService registration, HeartbeatService heartbeats, AgentConfigService configs,
            JobService jobs, SnapshotService snapshots, AnomalyService anomalies, CallerAgent agent) {
        this.registration = registration;
        this.heartbeats = heartbeats;
        this.configs = configs;
        this.jobs = jobs;
        this.snapshots = snapshots;
        this.anomalies = anomalies;
        this.agent = agent;
    }

    @POST
    @Path("/register")
    @PermitAll
    @Operation(summary = "Register a new agent with a one-time token; the API key is shown only in this answer")
    public Uni<Response> register(@Valid @NotNull RegisterRequest request) {
        return registration.register(request).map(registered -> Response
                .created(URI.create("/api/v1/admin/agents/" + registered.agent().id))
                .entity(new RegisterResponse(registered.agent().id, registered.apiKey()))
                .build());
    }

    @POST
    @Path("/heartbeat")
    @RolesAllowed(AgentKeyIdentityProvider.AGENT_ROLE)
    @Operation(summary = "Send a heartbeat with status and discovered databases; tells whether the configuration changed")
    public Uni<HeartbeatResponse> heartbeat(@Valid @NotNull HeartbeatRequest request) {
        return heartbeats.heartbeat(agent.id(), request).map(HeartbeatResponse::new);
    }

    @GET
    @Path("/config")
    @RolesAllowed(AgentKeyIdentityProvider.AGENT_ROLE)
    @Operation(summary = "Pull schedules, targets and alert channels; the ETag is the config hash to report in heartbeats")
    public Uni<Response> config() {
        return configs.currentHash(agent.id()).chain(hash -> configs.configFor(agent.id(), agent.tenant())
                .map(config -> Response.ok(config).tag(new EntityTag(hash)).header(CONFIG_HASH_HEADER, hash).build()));
    }

    @POST
    @Path("/jobs/start")
    @RolesAllowed(AgentKeyIdentityProvider.AGENT_ROLE)
    @Operation(summary = "Start a backup job of one of the agent's databases")
    public Uni<Response> startJob(@Valid @NotNull StartJobRequest request) {
        return jobs.start(agent, request).map(job -> Response
                .created(URI.create("/api/v1/admin/jobs/" + job.id))
                .entity(new StartJobResponse(job.id))
                .build());
    }

    @POST
    @Path("/jobs/{jobId}/status")
    @RolesAllowed(AgentKeyIdentityProvider.AGENT_ROLE)
    @Operation(summary = "Report the job's stage: dumping, compressing, encrypting, uploading, completed or failed (forward only)")
    public Uni<SuccessResponse> status(@PathParam("jobId") String jobId, @Valid @NotNull JobStatusRequest request) {
        return jobs.updateStatus(agent, PathIds.uuid(jobId, "job"), request).map(job -> new SuccessResponse(true));
    }

    @POST
    @Path("/jobs/{jobId}/verification")
    @RolesAllowed(AgentKeyIdentityProvider.AGENT_ROLE)
    @Operation(summary = "Submit the restore verification of a completed job")
    public Uni<Response> verification(@PathParam("jobId") String jobId, @Valid @NotNull VerificationRequest request) {
        return jobs.verify(agent, PathIds.uuid(jobId, "job"), request).map(verification -> Response
                .created(URI.create("/api/v1/admin/jobs/" + verification.jobId))
                .entity(new VerificationResponse(verification.id))
                .build());
    }

    @POST
    @Path("/jobs/{jobId}/logs")
    @RolesAllowed(AgentKeyIdentityProvider.AGENT_ROLE)
    @Operation(summary = "Upload 1 to 100 log entries of a job")
    public Uni<LogsResponse> logs(@PathParam("jobId") String jobId, @Valid @NotNull LogsRequest request) {
        return jobs.appendLogs(agent, PathIds.uuid(jobId, "job"), request).map(LogsResponse::new);
    }

    @POST
    @Path("/schema-snapshot")
    @RolesAllowed(AgentKeyIdentityProvider.AGENT_ROLE)
    @Operation(summary = "Submit a database's schema; it is compared with the previous snapshot for drift")
    public Uni<Response> schemaSnapshot(@Valid @NotNull SchemaSnapshotRequest request) {
        return snapshots.submit(agent, request).map(snapshot -> Response
                .created(URI.create("/api/v1/admin/schema-snapshots/" + snapshot.id))
                .entity(new SchemaSnapshotResponse(snapshot.id))
                .build());
    }

    @POST
    @Path("/anomaly")
    @RolesAllowed(AgentKeyIdentityProvider.AGENT_ROLE)
    @Operation(summary = "Report an anomaly the agent detected")
    public Uni<Response> anomaly(@Valid @NotNull AnomalyRequest request) {
        return anomalies.report(agent, request).map(anomaly -> Response
                .created(URI.create("/api/v1/admin/anomalies/" + anomaly.id))
                .entity(new AnomalyResponse(anomaly.id))
                .build());
    }
}
