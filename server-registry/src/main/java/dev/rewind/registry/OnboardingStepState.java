package dev.rewind.registry;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** How far one onboarding step of one server got: its status, attempt, timing and error. */
@Entity
@Table(name = "onboarding_step")
public class OnboardingStepState extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "server_id", nullable = false)
    public UUID serverId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public OnboardingStep step;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public StepStatus status;

    /** 1 for the first try, 2, 3 … for retries. */
    public int attempt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "completed_at")
    public OffsetDateTime completedAt;

    @Column(name = "failed_at")
    public OffsetDateTime failedAt;

    /** Why the step failed; null unless status is failed. */
    public String error;

    /** The pitr-service instance that reported the step (server-registry for a step it completed itself). */
    public String instance;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
