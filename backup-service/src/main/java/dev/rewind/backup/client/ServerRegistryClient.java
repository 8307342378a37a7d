package dev.rewind.backup.client;

import dev.rewind.source.RegisteredSource;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The one way backup-service reaches server-registry: fetches a server's connection (blocking; call it off the
 * event loop), retrying what may pass (network errors, 5xx) with backoff, failing at once on what will not.
 * Timeouts are set on the REST client ({@code quarkus.rest-client.server-registry.*}).
 */
@ApplicationScoped
public class ServerRegistryClient {

    static final int ATTEMPTS = 3;

    private final ServerRegistryApi api;

    public ServerRegistryClient(@RestClient ServerRegistryApi api) {
        this.api = api;
    }

    /** The connection of a server, or a {@link ConnectionUnavailable} saying why it cannot be had. */
    public RegisteredSource connection(UUID serverId) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return api.connection(serverId);
            } catch (WebApplicationException e) {
                int status = e.getResponse().getStatus();
                if (status == 404) {
                    throw new UnknownServer("server-registry knows no server " + serverId);
                }
                if (status == 401 || status == 403) {
                    throw new ConnectionUnavailable("server-registry refused backup-service's credentials (HTTP " + status + ")");
                }
                if (status < 500) {
                    throw new ConnectionUnavailable("server-registry answered HTTP " + status + " for server " + serverId);
                }
                last = e;
            } catch (ProcessingException e) {
                last = e; // connection refused, timeout, token endpoint unreachable
            }
            Log.warnf("fetching the connection of server %s failed (attempt %d of %d): %s", serverId, attempt, ATTEMPTS,
                    last.getMessage());
            pause(attempt);
        }
        throw new ConnectionUnavailable("server-registry is unreachable: " + last.getMessage());
    }

    private static void pause(int attempt) {
        if (attempt == ATTEMPTS) {
            return;
        }
        try {
            Thread.sleep(500L * (1L << (attempt - 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionUnavailable("interrupted while waiting to retry server-registry");
        }
    }

    /** The connection of a server could not be fetched; the message is fit for the entry's error. */
    public static class ConnectionUnavailable extends RuntimeException {
        public ConnectionUnavailable(String message) {
            super(message);
        }
    }

    /** server-registry answered that it knows no such server (never registered, or deleted). */
    public static final class UnknownServer extends ConnectionUnavailable {
        public UnknownServer(String message) {
            super(message);
        }
    }
}
