package dev.rewind.agent.repository;

import dev.rewind.commons.problem.ProblemException;
import dev.rewind.commons.rest.PageCursor;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/** A page of a tenant's entities in (createdAt, id) order, after a {@link PageCursor} of the same order. */
final class TenantPages {

    private TenantPages() {
    }

    static <T> Uni<List<T>> page(PanacheRepositoryBase<T, UUID> repository, String tenant, PageCursor after, int limit) {
        Sort order = Sort.by("createdAt").and("id");
        if (after == null) {
            return repository.find("tenant", order, tenant).page(0, limit).list();
        }
        UUID afterId;
        try {
            afterId = UUID.fromString(after.id());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("cursor is not a cursor of this list; pass back the X-Next-Cursor value unchanged");
        }
        return repository.find("tenant = ?1 and (createdAt > ?2 or (createdAt = ?2 and id > ?3))", order, tenant, after.at(), afterId)
                .page(0, limit).list();
    }
}
