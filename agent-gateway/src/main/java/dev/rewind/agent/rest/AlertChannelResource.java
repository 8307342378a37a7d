package dev.rewind.agent.rest;

import dev.rewind.agent.AlertChannel;
import dev.rewind.agent.rest.AdminMessages.AlertChannelRequest;
import dev.rewind.agent.rest.AdminMessages.AlertChannelView;
import dev.rewind.agent.service.AdminConfigService;
import dev.rewind.agent.service.AgentConfigService;
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

/** Alert channels the tenant's agents pull with their config; a change makes every agent's next heartbeat say configChanged. */
@Path("/api/v1/admin/alert-channels")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Alert channels (admin)")
public class AlertChannelResource {

    private final AdminConfigService service;
    private final AgentConfigService configs;
    private final CallerTenant tenant;

    public AlertChannelResource(AdminConfigService service, AgentConfigService configs, CallerTenant tenant) {
        this.service = service;
        this.configs = configs;
        this.tenant = tenant;
    }

    @GET
    @PermissionsAllowed("agents:manage")
    public Uni<List<AlertChannelView>> list() {
        return service.channels(tenant.id()).map(list -> list.stream().map(this::view).toList());
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<AlertChannelView> get(@PathParam("id") String id) {
        return service.channel(tenant.id(), PathIds.uuid(id, "alert channel")).map(this::view);
    }

    @POST
    @PermissionsAllowed("agents:manage")
    public Uni<Response> create(@Valid @NotNull AlertChannelRequest request, @Context UriInfo uri) {
        return service.createChannel(tenant.id(), request).map(channel -> Response
                .created(uri.getAbsolutePathBuilder().path(channel.id.toString()).build())
                .entity(view(channel)).build());
    }

    @PUT
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<AlertChannelView> update(@PathParam("id") String id, @Valid @NotNull AlertChannelRequest request) {
        return service.updateChannel(tenant.id(), PathIds.uuid(id, "alert channel"), request).map(this::view);
    }

    @DELETE
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.deleteChannel(tenant.id(), PathIds.uuid(id, "alert channel")).map(v -> Response.noContent().build());
    }

    private AlertChannelView view(AlertChannel channel) {
        return AlertChannelView.of(channel, configs.events(channel.events));
    }
}
