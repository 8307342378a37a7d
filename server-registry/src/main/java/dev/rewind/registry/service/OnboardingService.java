package dev.rewind.registry.service;

import dev.rewind.commons.outbox.Outbox;
import dev.rewind.registry.ConnectionMethod;
import dev.rewind.registry.OnboardingStep;
import dev.rewind.registry.OnboardingStepState;
import dev.rewind.registry.Server;
import dev.rewind.registry.ServerStatus;
import dev.rewind.registry.StepStatus;
import dev.rewind.registry.messaging.ServerEvents;
import dev.rewind.registry.repository.OnboardingStepRepository;
import dev.rewind.registry.repository.ServerRepository;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The onboarding saga as server-registry keeps it: pitr-service does the work and reports each step; this records
 * the step (status, attempt, timing, error) and derives the server's status and current step from all of them.
 *
 * <p>Rules:
 * <ul>
 * <li>An older attempt of a step never overwrites a newer one; within one attempt a step never goes back to
 * started, and a failure does not undo a completion. A later completion (a retry) clears a failure.</li>
 * <li>{@code provisioning started} begins a new round (pitr-service took the server over, maybe another instance
 * counting attempts afresh): provisioning starts over and the other steps' records are dropped. Redelivery of an
 * old report cannot do this: reports are applied once per event id.</li>
 * <li>awaiting_firewall: ssh_tunnel servers stay there until POST confirm-firewall. direct/vpn servers do not
 * wait: when pitr-service does not report the step itself, it is recorded as completed here the moment any later
 * step starts.</li>
 * <li>Status: a failed step makes the server {@code error} (its current step is the first failed one); a
 * completed {@code streaming} makes it {@code active} (no current step); otherwise it is {@code onboarding} at
 * the furthest started step, or at the step after the furthest completed one.</li>
 * </ul>
 * A status change is published as server.updated (rewind.servers is compacted: its last event is the state).
 */
@ApplicationScoped
public class OnboardingService {

    /** The instance name of steps server-registry records itself. */
    public static final String SELF = "server-registry";

    private final ServerRepository servers;
    private final OnboardingStepRepository steps;
    private final Outbox outbox;

    public OnboardingService(ServerRepository servers, OnboardingStepRepository steps, Outbox outbox) {
        this.servers = servers;
        this.steps = steps;
        this.outbox = outbox;
    }

    /** Records a reported step; runs inside the caller's transaction (the idempotent consumer's). */
    public Uni<Void> apply(StepReport report) {
        return servers.findForUpdate(report.serverId()).chain(server -> {
            if (server == null) {
                Log.warnf("onboarding.step for unknown server %s skipped", report.serverId());
                return Uni.createFrom().voidItem();
            }
            if (report.tenant() != null && !report.tenant().equals(server.tenant)) {
                Log.warnf("onboarding.step for server %s names tenant %s, the server belongs to another: skipped",
                        report.serverId(), report.tenant());
                return Uni.createFrom().voidItem();
            }
            if (server.status == ServerStatus.decommissioned) {
                Log.infof("onboarding.step %s %s for decommissioned server %s ignored", report.step(), report.status(), server.id);
                return Uni.createFrom().voidItem();
            }
            return steps.listForServer(server.id).chain(rows -> record(server, new ArrayList<>(rows), report));
        });
    }

    private Uni<Void> record(Server server, List<OnboardingStepState> rows, StepReport report) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Uni<?>> writes = new ArrayList<>();
        boolean newRound = report.step() == OnboardingStep.FIRST && report.status() == StepStatus.started;
        if (newRound) {
            for (OnboardingStepState row : List.copyOf(rows)) {
                if (row.step != OnboardingStep.FIRST) {
                    rows.remove(row);
                    writes.add(steps.delete(row));
                }
            }
        }
        if (report.status() == StepStatus.started && report.step().ordinal() > OnboardingStep.awaiting_firewall.ordinal()
                && server.connectionMethod != ConnectionMethod.ssh_tunnel
                && find(rows, OnboardingStep.awaiting_firewall).filter(r -> r.status == StepStatus.completed).isEmpty()) {
            OnboardingStepState firewall = find(rows, OnboardingStep.awaiting_firewall).orElseGet(() -> {
                OnboardingStepState row = newRow(server.id, OnboardingStep.awaiting_firewall, 1);
                rows.add(row);
                return row;
            });
            complete(firewall, report.at(), SELF, now);
            writes.add(steps.persist(firewall));
        }
        OnboardingStepState row = find(rows, report.step()).orElse(null);
        if (row == null) {
            row = newRow(server.id, report.step(), report.attempt());
            rows.add(row);
        } else if (newRound) {
            row.status = null; // provisioning starts afresh, whatever attempt the (maybe new) instance counts
        }
        if (applyTo(row, report, now)) {
            writes.add(steps.persist(row));
        } else {
            Log.debugf("onboarding.step %s %s (attempt %d) of server %s changes nothing", report.step(), report.status(),
                    report.attempt(), server.id);
        }
        return join(writes).chain(() -> derive(server, rows, now));
    }

    /** Marks awaiting_firewall completed for a confirmed ssh_tunnel server; inside the caller's transaction. */
    public Uni<Void> confirmFirewall(Server server) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return steps.listForServer(server.id).chain(existing -> {
            List<OnboardingStepState> rows = new ArrayList<>(existing);
            OnboardingStepState firewall = find(rows, OnboardingStep.awaiting_firewall).orElseGet(() -> {
                OnboardingStepState row = newRow(server.id, OnboardingStep.awaiting_firewall, 1);
                row.startedAt = now;
                rows.add(row);
                return row;
            });
            complete(firewall, now, SELF, now);
            server.firewallConfirmed = true;
            return steps.persist(firewall)
                    .chain(() -> derive(server, rows, now, List.of("firewall_confirmed")));
        });
    }

    /** Forgets the recorded steps: onboarding starts over (a changed host, port or credential). */
    public Uni<Void> restart(Server server) {
        server.status = ServerStatus.onboarding;
        server.onboardingStep = OnboardingStep.FIRST.name();
        server.firewallConfirmed = false;
        return steps.listForServer(server.id)
                .chain(rows -> join(rows.stream().<Uni<?>>map(steps::delete).toList()));
    }

    /** The server's recorded steps in onboarding order. */
    public Uni<List<OnboardingStepState>> steps(UUID serverId) {
        return steps.listForServer(serverId);
    }

    private Uni<Void> derive(Server server, List<OnboardingStepState> rows, OffsetDateTime now) {
        return derive(server, rows, now, List.of());
    }

    /** Sets status and current step from the rows; publishes server.updated when they (or {@code alsoChanged}) changed. */
    private Uni<Void> derive(Server server, List<OnboardingStepState> rows, OffsetDateTime now, List<String> alsoChanged) {
        ServerStatus status = status(rows);
        String step = currentStep(server.connectionMethod, rows).map(Enum::name).orElse(null);
        List<String> changed = new ArrayList<>(alsoChanged);
        if (status != server.status) {
            changed.add("status");
        }
        if (!Objects.equals(step, server.onboardingStep)) {
            changed.add("onboarding_step");
        }
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (status != server.status) {
            Log.infof("server %s is now %s (step %s)", server.id, status, step);
        }
        server.status = status;
        server.onboardingStep = step;
        server.updatedAt = now;
        // only a change of status (or a confirmation) is news for other services; step progress is not
        return changed.equals(List.of("onboarding_step"))
                ? Uni.createFrom().voidItem()
                : outbox.publish(ServerEvents.updated(server, changed, false));
    }

    static ServerStatus status(List<OnboardingStepState> rows) {
        if (rows.stream().anyMatch(r -> r.status == StepStatus.failed)) {
            return ServerStatus.error;
        }
        boolean streaming = rows.stream().anyMatch(r -> r.step == OnboardingStep.streaming && r.status == StepStatus.completed);
        return streaming ? ServerStatus.active : ServerStatus.onboarding;
    }

    static Optional<OnboardingStep> currentStep(ConnectionMethod method, List<OnboardingStepState> rows) {
        List<OnboardingStepState> ordered = rows.stream().sorted(Comparator.comparing(r -> r.step)).toList();
        Optional<OnboardingStepState> failed = ordered.stream().filter(r -> r.status == StepStatus.failed).findFirst();
        if (failed.isPresent()) {
            return Optional.of(failed.get().step);
        }
        Optional<OnboardingStepState> started = ordered.stream().filter(r -> r.status == StepStatus.started)
                .reduce((first, second) -> second);
        if (started.isPresent()) {
            return Optional.of(started.get().step);
        }
        Optional<OnboardingStepState> completed = ordered.stream().filter(r -> r.status == StepStatus.completed)
                .reduce((first, second) -> second);
        return completed.isEmpty() ? Optional.of(OnboardingStep.FIRST) : completed.get().step.next(method);
    }

    /** Applies a report to its step's row; false when it changes nothing (stale, repeated or a step backwards). */
    static boolean applyTo(OnboardingStepState row, StepReport report, OffsetDateTime now) {
        boolean fresh = row.status == null;
        if (!fresh) {
            if (report.attempt() < row.attempt) {
                return false; // an older attempt
            }
            if (report.attempt() == row.attempt) {
                boolean same = report.status() == row.status;
                boolean backToStarted = report.status() == StepStatus.started;
                boolean failAfterDone = report.status() == StepStatus.failed && row.status == StepStatus.completed;
                if (same || backToStarted || failAfterDone) {
                    return false;
                }
            }
        }
        boolean newAttempt = fresh || report.attempt() > row.attempt;
        row.attempt = report.attempt();
        switch (report.status()) {
            case started -> {
                row.startedAt = report.at();
                row.completedAt = null;
                row.failedAt = null;
                row.error = null;
            }
            case completed -> {
                if (newAttempt || row.startedAt == null) {
                    row.startedAt = report.at(); // completed without a reported start
                }
                row.completedAt = report.at();
                row.failedAt = null;
                row.error = null;
            }
            case failed -> {
                if (newAttempt || row.startedAt == null) {
                    row.startedAt = report.at();
                }
                row.failedAt = report.at();
                row.completedAt = null;
                row.error = report.error() == null || report.error().isBlank() ? "the step failed without a message" : report.error();
            }
        }
        row.status = report.status();
        row.instance = report.instance();
        row.updatedAt = now;
        return true;
    }

    private static void complete(OnboardingStepState row, OffsetDateTime at, String instance, OffsetDateTime now) {
        if (row.startedAt == null) {
            row.startedAt = at;
        }
        row.status = StepStatus.completed;
        row.completedAt = at;
        row.failedAt = null;
        row.error = null;
        row.instance = instance;
        row.updatedAt = now;
    }

    private static OnboardingStepState newRow(UUID serverId, OnboardingStep step, int attempt) {
        OnboardingStepState row = new OnboardingStepState();
        row.id = UUID.randomUUID();
        row.serverId = serverId;
        row.step = step;
        row.attempt = attempt;
        return row;
    }

    private static Optional<OnboardingStepState> find(List<OnboardingStepState> rows, OnboardingStep step) {
        return rows.stream().filter(r -> r.step == step).findFirst();
    }

    /** Runs the writes one after the other (one reactive session allows no parallel operations). */
    private static Uni<Void> join(List<Uni<?>> writes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<?> write : writes) {
            chain = chain.chain(() -> write).replaceWithVoid();
        }
        return chain;
    }
}
