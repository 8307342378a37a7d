package dev.rewind.agent.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.agent.Agent;
import dev.rewind.agent.config.AgentGatewayConfig;
import dev.rewind.agent.rest.AdminMessages.DatabaseView;
import dev.rewind.agent.service.AgentAdminService;
import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.tenant.CallerTenant;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The admin side of the agent API: a tenant's agents, their discovered databases, revoking their keys. */
@Path("/api/v1/admin/agents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Agents (admin)")
public class AgentAdminResource {

    private final AgentAdminService service;
    private final CallerTenant tenant;
    private final ObjectMapper json;
    private final AgentGatewayConfig config;

    public AgentAdminResource(AgentAdminService service, CallerTenant tenant, ObjectMapper json, AgentGatewayConfig config) {
        this.service = service;
        this.tenant = tenant;
        this.json = json;
        this.config = config;
    }

    @GET
    @PermissionsAllowed("agents:manage")
    @Operation(summary = "The tenant's agents: last heartbeat, online or offline, discovered databases",
            description = "Oldest first, at most limit (1 to 500, default 500) per page; when more follow, the response carries "
                    + "the next page's cursor in X-Next-Cursor and a Link rel=\"next\"")
    public Uni<org.jboss.resteasy.reactive.RestResponse<List<AgentView>>> list(
            @jakarta.ws.rs.QueryParam("limit") String limit, @jakarta.ws.rs.QueryParam("cursor") String cursor,
            @jakarta.ws.rs.core.Context jakarta.ws.rs.core.UriInfo uri) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int size = dev.rewind.commons.rest.QueryParams.limit(limit, MAX_PAGE, MAX_PAGE);
        return service.list(tenant.id(), dev.rewind.commons.rest.PageCursor.decode(cursor), size + 1)
                .map(agents -> dev.rewind.commons.rest.Pages.of(agents, size,
                        a -> new dev.rewind.commons.rest.PageCursor(a.createdAt, a.id.toString()), a -> view(a, now), uri));
    }

    /** The most agents one page holds. */
    static final int MAX_PAGE = 500;

    @GET
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<AgentView> get(@PathParam("id") String id) {
        return service.get(tenant.id(), PathIds.uuid(id, "agent")).map(a -> view(a, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    @GET
    @Path("/{id}/databases")
    @PermissionsAllowed("agents:manage")
    @Operation(summary = "The databases the agent discovered, with the ids schedules and jobs refer to")
    public Uni<List<DatabaseView>> databases(@PathParam("id") String id) {
        return service.databases(tenant.id(), PathIds.uuid(id, "agent"))
                .map(dbs -> dbs.stream().map(DatabaseView::of).toList());
    }

    @POST
    @Path("/{id}/revoke")
    @PermissionsAllowed("agents:manage")
    @Operation(summary = "Revoke the agent's API key: every later call with it is a 401")
    public Uni<AgentView> revoke(@PathParam("id") String id) {
        return service.revoke(tenant.id(), tenant.subject(), PathIds.uuid(id, "agent"))
                .map(a -> view(a, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    private AgentView view(Agent agent, OffsetDateTime now) {
        try {
            return AgentView.of(agent, json.readTree(agent.discoveredDatabases), config.offlineAfter(), now);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("agent " + agent.id + " has unreadable discovered databases", e);
        }
    }
}
