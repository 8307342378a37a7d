package dev.rewind.backup.support;

import dev.rewind.source.RegisteredSource;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test stand-in for server-registry's {@code GET /internal/servers/{id}/connection} (its documented contract:
 * service accounts with {@code servers:connect} only). Serves the connections the tests registered.
 */
@Path("/internal/servers")
public class ServerRegistryStandIn {

    static final Map<UUID, RegisteredSource> CONNECTIONS = new ConcurrentHashMap<>();
    static volatile boolean down;

    @GET
    @Path("/{id}/connection")
    @Produces(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("servers:connect")
    public RegisteredSource connection(@PathParam("id") UUID id) {
        if (down) {
            throw new jakarta.ws.rs.ServiceUnavailableException();
        }
        RegisteredSource connection = CONNECTIONS.get(id);
        if (connection == null) {
            throw new NotFoundException();
        }
        return connection;
    }
}
