package dev.rewind.agent.rest;

import dev.rewind.agent.rest.AdminMessages.ScheduleRequest;
import dev.rewind.agent.rest.AdminMessages.ScheduleView;
import dev.rewind.agent.service.AdminConfigService;
import dev.rewind.agent.service.AdminConfigService.ScheduleWithDatabase;
import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.rest.QueryParams;
import dev.rewind.commons.tenant.CallerTenant;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Backup schedules of agent databases; a change makes the agent's next heartbeat say configChanged. */
@Path("/api/v1/admin/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Schedules (admin)")
public class ScheduleResource {

    private final AdminConfigService service;
    private final CallerTenant tenant;

    public ScheduleResource(AdminConfigService service, CallerTenant tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    @GET
    @PermissionsAllowed("agents:manage")
    public Uni<List<ScheduleView>> list(@QueryParam("agentId") String agentId) {
        return service.schedules(tenant.id(), QueryParams.uuid("agentId", agentId))
                .map(list -> list.stream().map(ScheduleResource::view).toList());
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<ScheduleView> get(@PathParam("id") String id) {
        return service.schedule(tenant.id(), PathIds.uuid(id, "schedule")).map(ScheduleResource::view);
    }

    @POST
    @PermissionsAllowed("agents:manage")
    public Uni<Response> create(@Valid @NotNull ScheduleRequest request, @Context UriInfo uri) {
        return service.createSchedule(tenant.id(), request).map(created -> Response
                .created(uri.getAbsolutePathBuilder().path(created.schedule().id.toString()).build())
                .entity(view(created)).build());
    }

    @PUT
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<ScheduleView> update(@PathParam("id") String id, @Valid @NotNull ScheduleRequest request) {
        return service.updateSchedule(tenant.id(), PathIds.uuid(id, "schedule"), request).map(ScheduleResource::view);
    }

    @DELETE
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.deleteSchedule(tenant.id(), PathIds.uuid(id, "schedule")).map(v -> Response.noContent().build());
    }

    private static ScheduleView view(ScheduleWithDatabase s) {
        return new ScheduleView(s.schedule().id, s.schedule().agentId, s.schedule().databaseId, s.database().databaseName,
                s.schedule().targetId, s.schedule().cron, s.schedule().retentionDays, s.schedule().encrypt,
                s.schedule().enabled, s.schedule().createdAt, s.schedule().updatedAt);
    }
}
