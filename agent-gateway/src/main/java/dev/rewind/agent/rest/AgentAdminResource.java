package dev.rewind.agent.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.agent.Agent;
import dev.rewind.agent.service.AgentAdminService;
import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.tenant.CallerTenant;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The admin side of the agent API: a tenant's agents. */
@Path("/api/v1/admin/agents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Agents (admin)")
public class AgentAdminResource {

    private final AgentAdminService service;
    private final CallerTenant tenant;
    private final ObjectMapper json;
    private final Duration offlineAfter;

    public AgentAdminResource(AgentAdminService service, CallerTenant tenant, ObjectMapper json,
            @ConfigProperty(name = "rewind.agents.offline-after") Duration offlineAfter) {
        this.service = service;
        this.tenant = tenant;
        this.json = json;
        this.offlineAfter = offlineAfter;
    }

    @GET
    @PermissionsAllowed("agents:manage")
    public Uni<List<AgentView>> list() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return service.list(tenant.id()).map(agents -> agents.stream().map(a -> view(a, now)).toList());
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    public Uni<AgentView> get(@PathParam("id") String id) {
        return service.get(tenant.id(), PathIds.uuid(id, "agent")).map(a -> view(a, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    private AgentView view(Agent agent, OffsetDateTime now) {
        try {
            return AgentView.of(agent, json.readTree(agent.discoveredDatabases), offlineAfter, now);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("agent " + agent.id + " has unreadable discovered databases", e);
        }
    }
}
