package dev.rewind.registry.rest;

import dev.rewind.commons.rest.PathIds;
import dev.rewind.registry.service.ServerService;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Connection details for Rewind's own services (service accounts with {@code servers:connect}; not bound to a
 * tenant). Never exposed by the gateway. Every read is audited.
 */
@Path("/internal/servers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal", description = "For Rewind's services only; not routed by the gateway")
public class InternalServerResource {

    private final ServerService service;
    private final JsonWebToken token;
    private final ServiceCaller caller;

    public InternalServerResource(ServerService service, JsonWebToken token, ServiceCaller caller) {
        this.service = service;
        this.token = token;
        this.caller = caller;
    }

    @GET
    @Path("/{id}/connection")
    @PermissionsAllowed("servers:connect")
    public Uni<Response> connection(@PathParam("id") String id) {
        caller.require();
        String client = token.<Object>claim("azp").map(Object::toString).orElse(token.getSubject());
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return service.connection(PathIds.uuid(id, "server"), client)
                .map(connection -> Response.ok(ConnectionView.of(connection)).cacheControl(noStore).build());
    }
}
