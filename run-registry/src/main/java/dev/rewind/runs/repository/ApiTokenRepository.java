package dev.rewind.runs.repository;

import dev.rewind.runs.ApiToken;
import dev.rewind.runs.security.ApiTokenCache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** API tokens of the tenants. */
@ApplicationScoped
public class ApiTokenRepository implements PanacheRepositoryBase<ApiToken, UUID> {

    private static final String FIND_CREDENTIAL = "select tenant, token_hash, revoked_at is not null as revoked from api_token where id = $1";

    private final Pool pool;

    public ApiTokenRepository(Pool pool) {
        this.pool = pool;
    }

    /** What authentication needs to know of a token. */
    public record Credential(String tenant, byte[] tokenHash, boolean revoked) {
    }

    /** The credential of a token id, or null; one indexed read outside any session (it runs on every request). */
    public Uni<Credential> findCredential(UUID id) {
        return pool.preparedQuery(FIND_CREDENTIAL).execute(Tuple.of(id)).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            if (!found.hasNext()) {
                return null;
            }
            Row row = found.next();
            return new Credential(row.getString("tenant"), row.getBuffer("token_hash").getBytes(), row.getBoolean("revoked"));
        });
    }

    /** Tells every replica, when the current transaction commits, that the token was revoked. */
    public Uni<Void> notifyRevoked(UUID id) {
        return getSession().chain(session -> session
                .createNativeQuery("select count(*) from (select pg_notify(?1, ?2)) notified", Long.class)
                .setParameter(1, ApiTokenCache.CHANNEL)
                .setParameter(2, id.toString())
                .getSingleResult())
                .replaceWithVoid();
    }

    public Uni<ApiToken> find(String tenant, UUID id) {
        return find("id = ?1 and tenant = ?2", id, tenant).firstResult();
    }

    public Uni<List<ApiToken>> listOf(String tenant) {
        return list("tenant", Sort.descending("createdAt"), tenant);
    }
}
