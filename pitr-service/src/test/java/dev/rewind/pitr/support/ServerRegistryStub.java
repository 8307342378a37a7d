package dev.rewind.pitr.support;

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
 * server-registry's {@code GET /internal/servers/{id}/connection} as its contract says (servers:connect only), serving
 * the servers the tests registered: the real sources of the local stack.
 */
@Path("/internal/servers")
public class ServerRegistryStub {

    public record Connection(UUID serverId, String tenant, String name, String host, int port, String username,
            String password, String connectionMethod, String sshJumpHost, String tlsMode, String tlsCaCert) {

        public Connection(UUID serverId, String tenant, String name, String host, int port, String username, String password,
                String connectionMethod, String sshJumpHost) {
            this(serverId, tenant, name, host, port, username, password, connectionMethod, sshJumpHost, null, null);
        }
    }

    static final Map<UUID, Connection> SERVERS = new ConcurrentHashMap<>();

    public static void add(Connection connection) {
        SERVERS.put(connection.serverId(), connection);
    }

    @GET
    @Path("/{id}/connection")
    @Produces(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("servers:connect")
    public Connection connection(@PathParam("id") UUID id) {
        Connection c = SERVERS.get(id);
        if (c == null) {
            throw new NotFoundException();
        }
        return c;
    }
}
