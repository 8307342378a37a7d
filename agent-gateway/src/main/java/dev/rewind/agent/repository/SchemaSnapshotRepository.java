package dev.rewind.agent.repository;

import dev.rewind.agent.SchemaSnapshot;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Schema snapshots of agent databases. */
@ApplicationScoped
public class SchemaSnapshotRepository implements PanacheRepositoryBase<SchemaSnapshot, UUID> {

    /** The newest snapshot of the database, or null when it has none yet. */
    public Uni<SchemaSnapshot> latest(UUID databaseId) {
        return find("databaseId", Sort.by("createdAt", Sort.Direction.Descending).and("id", Sort.Direction.Descending), databaseId)
                .firstResult();
    }
}
