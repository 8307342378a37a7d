package dev.rewind.registry.rest;

import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.tenant.CallerTenant;
import dev.rewind.registry.service.ServerService;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The servers API of shared/reference/servers-api.txt. */
@Path("/servers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Servers", description = "Register, list, update and decommission MySQL and MariaDB servers")
public class ServerResource {

    private final ServerService service;
    private final CallerTenant tenant;

    public ServerResource(ServerService service, CallerTenant tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    @GET
    @PermissionsAllowed("servers:read")
    public Uni<List<ServerView>> list(@QueryParam("include_decommissioned") boolean includeDecommissioned) {
        return service.list(tenant.id(), includeDecommissioned)
                .map(servers -> servers.stream().map(ServerView::of).toList());
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed("servers:read")
    public Uni<ServerView> get(@PathParam("id") String id) {
        return service.get(tenant.id(), PathIds.uuid(id, "server")).map(ServerView::of);
    }

    @POST
    @PermissionsAllowed("servers:write")
    public Uni<Response> register(@Valid @NotNull RegisterServerRequest request, @Context UriInfo uri) {
        return service.register(tenant.id(), request)
                .map(server -> Response.created(uri.getAbsolutePathBuilder().path(server.id.toString()).build())
                        .entity(ServerView.of(server))
                        .build());
    }
}
