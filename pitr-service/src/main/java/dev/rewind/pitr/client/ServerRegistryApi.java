package dev.rewind.pitr.client;

import dev.rewind.source.RegisteredSource;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** server-registry's internal API, called with pitr-service's client-credentials token ({@code servers:connect}). */
@Path("/internal/servers")
@OidcClientFilter
public interface ServerRegistryApi {

    @GET
    @Path("/{id}/connection")
    @Produces(MediaType.APPLICATION_JSON)
    RegisteredSource connection(@PathParam("id") UUID id);
}
