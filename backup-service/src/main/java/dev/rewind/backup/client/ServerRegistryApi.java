package dev.rewind.backup.client;

import dev.rewind.source.RegisteredSource;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** server-registry's internal API, called with backup-service's client-credentials token. Use {@link ServerRegistryClient}. */
@RegisterRestClient(configKey = "server-registry")
@OidcClientFilter
@Path("/internal/servers")
public interface ServerRegistryApi {

    @GET
    @Path("/{id}/connection")
    @Produces(MediaType.APPLICATION_JSON)
    RegisteredSource connection(@PathParam("id") UUID serverId);
}
