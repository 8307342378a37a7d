package dev.rewind.pitr.client;

import dev.rewind.source.RegisteredSource;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The one way pitr-service talks to server-registry: connection details of a server. Owns timeouts; a server
 * the registry does not know answers empty (it was deleted, or never existed), any other failure throws so the
 * caller retries. Blocking: call it from worker threads only.
 */
@ApplicationScoped
public class ServerRegistryClient {

    private volatile ServerRegistryApi api;

    /** Connection details of the server; empty when server-registry does not know it. */
    public Optional<RegisteredSource> connection(UUID serverId) {
        try {
            return Optional.of(api().connection(serverId));
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            throw new IllegalStateException("server-registry answered " + (e.getResponse() == null ? "?" : e.getResponse().getStatus())
                    + " for the connection of " + serverId, e);
        }
    }

    private ServerRegistryApi api() {
        ServerRegistryApi current = api;
        if (current == null) {
            synchronized (this) {
                if (api == null) {
                    // read when first needed: in tests the URL points at the test's own port, known only after start
                    String url = ConfigProvider.getConfig().getValue("rewind.server-registry.url", String.class);
                    api = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(url))
                            .connectTimeout(5, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS)
                            .build(ServerRegistryApi.class);
                }
                current = api;
            }
        }
        return current;
    }
}
