package dev.rewind.registry.rest;

import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.rest.QueryParams;
import dev.rewind.commons.tenant.CallerTenant;
import dev.rewind.registry.config.OnboardingConfig;
import dev.rewind.registry.service.ServerService;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The servers API of shared/reference/servers-api.txt. */
@Path("/servers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Servers", description = "Register, list, update and decommission MySQL and MariaDB servers")
public class ServerResource {

    private final ServerService service;
    private final CallerTenant tenant;
    private final OnboardingConfig onboarding;

    public ServerResource(ServerService service, CallerTenant tenant, OnboardingConfig onboarding) {
        this.service = service;
        this.tenant = tenant;
        this.onboarding = onboarding;
    }

    /** The tenant's servers, oldest first; decommissioned ones only with {@code include_decommissioned=true}. */
    @GET
    @PermissionsAllowed("servers:read")
    public Uni<List<ServerView>> list(@QueryParam("include_decommissioned") String includeDecommissioned) {
        boolean all = "true".equals(QueryParams.oneOf("include_decommissioned", includeDecommissioned, Set.of("true", "false")));
        return service.list(tenant.id(), all).map(servers -> servers.stream().map(ServerView::of).toList());
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed("servers:read")
    public Uni<ServerView> get(@PathParam("id") String id) {
        return service.get(tenant.id(), PathIds.uuid(id, "server")).map(ServerView::of);
    }

    /** 201 with Location; 400 per field, 409 for a name in use, 422 when the connection check fails. */
    @POST
    @PermissionsAllowed("servers:write")
    public Uni<Response> register(@Valid @NotNull RegisterServerRequest request, @Context UriInfo uri) {
        return service.register(tenant.id(), tenant.subject(), request)
                .map(server -> Response.created(uri.getAbsolutePathBuilder().path(server.id.toString()).build())
                        .entity(ServerView.of(server))
                        .build());
    }

    /** Changes only the given fields; a changed host, port or credential is checked (422) and restarts onboarding. */
    @PATCH
    @Path("/{id}")
    @PermissionsAllowed("servers:write")
    public Uni<ServerView> update(@PathParam("id") String id, @Valid @NotNull UpdateServerRequest request) {
        return service.update(tenant.id(), tenant.subject(), PathIds.uuid(id, "server"), request).map(ServerView::of);
    }

    /** Soft delete: 204; the server is decommissioned, streaming and schedules stop. 409 when it already is. */
    @DELETE
    @Path("/{id}")
    @PermissionsAllowed("servers:delete")
    public Uni<Response> decommission(@PathParam("id") String id) {
        return service.decommission(tenant.id(), tenant.subject(), PathIds.uuid(id, "server"))
                .map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/onboarding-status")
    @PermissionsAllowed("servers:read")
    public Uni<OnboardingStatusView> onboardingStatus(@PathParam("id") String id) {
        return service.onboardingProgress(tenant.id(), PathIds.uuid(id, "server"))
                .map(progress -> OnboardingStatusView.of(progress, onboarding.agentOutboundIp()));
    }

    /** ssh_tunnel servers at awaiting_firewall: the whitelist is in place, onboarding resumes. 400 otherwise. */
    @POST
    @Path("/{id}/confirm-firewall")
    @Consumes(MediaType.WILDCARD) // no body: any (or no) content type
    @PermissionsAllowed("servers:write")
    public Uni<Map<String, String>> confirmFirewall(@PathParam("id") String id) {
        return service.confirmFirewall(tenant.id(), tenant.subject(), PathIds.uuid(id, "server"))
                .map(ignored -> Map.of("status", "confirmed"));
    }
}
