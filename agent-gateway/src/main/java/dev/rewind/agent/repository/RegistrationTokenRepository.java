package dev.rewind.agent.repository;

import dev.rewind.agent.RegistrationToken;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Registration tokens, by tenant or by the hash of the token. */
@ApplicationScoped
public class RegistrationTokenRepository implements PanacheRepositoryBase<RegistrationToken, UUID> {

    /** Up to {@code limit} of the tenant's, oldest first, after {@code after} (null: from the first). */
    public Uni<List<RegistrationToken>> pageForTenant(String tenant, dev.rewind.commons.rest.PageCursor after, int limit) {
        return TenantPages.page(this, tenant, after, limit);
    }

    public Uni<RegistrationToken> findForTenant(String tenant, UUID id) {
        return find("tenant = ?1 and id = ?2", tenant, id).firstResult();
    }

    public Uni<RegistrationToken> findByHash(String tokenHash) {
        return find("tokenHash", tokenHash).firstResult();
    }

    /**
     * Marks the token used by {@code agentId} if it still may be used; 1 when it was claimed, 0 when it was used,
     * revoked or expired meanwhile (a second registration with the same token loses here, in the database).
     */
    public Uni<Integer> claim(UUID id, UUID agentId, OffsetDateTime now) {
        return update("usedAt = ?1, agentId = ?2 where id = ?3 and usedAt is null and revokedAt is null and expiresAt > ?1",
                now, agentId, id);
    }
}
