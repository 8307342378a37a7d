package dev.rewind.agent.rest;

import dev.rewind.agent.rest.AdminMessages.TargetRequest;
import dev.rewind.agent.rest.AdminMessages.TargetView;
import dev.rewind.agent.service.AdminConfigService;
import dev.rewind.commons.rest.PathIds;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Upload targets the tenant's agents pull with their config; a change makes every agent's next heartbeat say configChanged. */
@Path("/api/v1/admin/targets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Targets (admin)")
public class TargetResource {

    private final AdminConfigService service;
    private final CallerTenant tenant;

    public TargetResource(AdminConfigService service, CallerTenant tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    @GET
    @PermissionsAllowed("agents:manage")
    public Uni<List<TargetView>> list() {
        return service.targets(tenant.id()).map(list -> list.stream().map(TargetView::of).toList());
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<TargetView> get(@PathParam("id") String id) {
        return service.target(tenant.id(), PathIds.uuid(id, "target")).map(TargetView::of);
    }

    @POST
    @PermissionsAllowed("agents:manage")
    public Uni<Response> create(@Valid @NotNull TargetRequest request, @Context UriInfo uri) {
        return service.createTarget(tenant.id(), request).map(target -> Response
                .created(uri.getAbsolutePathBuilder().path(target.id.toString()).build())
                .entity(TargetView.of(target)).build());
    }

    @PUT
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<TargetView> update(@PathParam("id") String id, @Valid @NotNull TargetRequest request) {
        return service.updateTarget(tenant.id(), PathIds.uuid(id, "target"), request).map(TargetView::of);
    }

    @DELETE
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.deleteTarget(tenant.id(), PathIds.uuid(id, "target")).map(v -> Response.noContent().build());
    }
}
