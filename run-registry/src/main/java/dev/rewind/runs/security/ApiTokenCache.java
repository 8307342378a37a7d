package dev.rewind.runs.security;

import dev.rewind.runs.config.RunsConfig;
import dev.rewind.runs.repository.ApiTokenRepository.Credential;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps the credentials of live API tokens for a short while, so that a tool reporting runs costs one database
 * round trip per request (the run) rather than two. Revocation stays immediate on every replica: revoking
 * notifies the PostgreSQL channel {@value #CHANNEL} in its transaction and every replica drops the token when the
 * notification arrives. The cache is used only while this replica is listening on that channel — before the
 * LISTEN is in place, and from the moment its connection is lost until it is back (and the cache emptied), every
 * request reads the database. The TTL bounds the one case left: a listener connection that died without anyone
 * noticing yet. Unknown and revoked tokens are never cached.
 */
@ApplicationScoped
public class ApiTokenCache {

    public static final String CHANNEL = "rewind_api_token_revoked";
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Credential credential, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<UUID, Entry> entries = new ConcurrentHashMap<>();
    /** Moves on at every invalidation: a lookup that started before one must not put what it read. */
    private final AtomicLong generation = new AtomicLong();
    private final long ttlNanos;
    private final Vertx vertx;
    private final String url;
    private final String user;
    private final Optional<String> password;
    private volatile PgSubscriber subscriber;
    /** The listener connection the cache's content is known to be current for; null when not listening. */
    private volatile PgConnection listeningOn;

    public ApiTokenCache(RunsConfig config, Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.ttlNanos = config.apiTokenCacheTtl().toNanos();
        this.vertx = vertx;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void listen(@Observes StartupEvent startup) {
        if (ttlNanos <= 0) {
            return; // caching switched off: every request reads the database
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user);
        password.ifPresent(options::setPassword);
        PgSubscriber listener = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempt -> 1_000L);
        listener.channel(CHANNEL)
                .subscribeHandler(listening -> {
                    // (re)connected: what was cached may have missed notifications while we were away
                    clear();
                    listeningOn = listener.actualConnection();
                })
                .handler(payload -> {
                    try {
                        invalidate(UUID.fromString(payload));
                    } catch (IllegalArgumentException e) {
                        clear();
                    }
                });
        subscriber = listener;
        listener.connect().onFailure(e -> Log.warnf("API token cache: cannot listen on %s yet (%s); retrying, tokens are read from the database meanwhile",
                CHANNEL, e.getMessage()));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        PgSubscriber listener = subscriber;
        if (listener != null) {
            listener.close();
        }
    }

    /** The cached credential of a live token, or null (not cached, expired, or the cache cannot be trusted now). */
    public Credential get(UUID id) {
        if (!trusted()) {
            return null;
        }
        Entry entry = entries.get(id);
        if (entry == null) {
            return null;
        }
        if (System.nanoTime() - entry.expiresAtNanos() > 0) {
            entries.remove(id, entry);
            return null;
        }
        return entry.credential();
    }

    /** The generation to hand back to {@link #put} once the database answered. */
    public long generation() {
        return generation.get();
    }

    /** Keeps a live token's credential read at {@code readGeneration}, unless an invalidation came in between. */
    public void put(UUID id, Credential credential, long readGeneration) {
        if (credential == null || credential.revoked() || !trusted()) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(id, new Entry(credential, System.nanoTime() + ttlNanos));
        if (generation.get() != readGeneration) {
            entries.remove(id); // a revocation may have raced the read
        }
    }

    /** Forgets one token (revoked here or on another replica). */
    public void invalidate(UUID id) {
        generation.incrementAndGet();
        entries.remove(id);
    }

    private void clear() {
        generation.incrementAndGet();
        entries.clear();
    }

    private boolean trusted() {
        PgSubscriber listener = subscriber;
        PgConnection listening = listeningOn;
        return listener != null && listening != null && listener.actualConnection() == listening;
    }
}
