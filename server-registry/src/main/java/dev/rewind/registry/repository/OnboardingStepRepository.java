package dev.rewind.registry.repository;

import dev.rewind.registry.OnboardingStepState;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** The recorded onboarding steps of servers. */
@ApplicationScoped
public class OnboardingStepRepository implements PanacheRepositoryBase<OnboardingStepState, UUID> {

    /** The server's recorded steps in onboarding order. */
    public Uni<List<OnboardingStepState>> listForServer(UUID serverId) {
        return list("serverId", serverId)
                .map(rows -> rows.stream().sorted(Comparator.comparing(row -> row.step)).toList());
    }
}
