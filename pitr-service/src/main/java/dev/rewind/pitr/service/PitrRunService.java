package dev.rewind.pitr.service;

import dev.rewind.commons.outbox.Outbox;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.pitr.Baseline;
import dev.rewind.pitr.PitrRun;
import dev.rewind.pitr.Server;
import dev.rewind.pitr.binlog.BinlogPosition;
import dev.rewind.pitr.messaging.PitrEvent;
import dev.rewind.pitr.repository.IndexRepository;
import dev.rewind.pitr.rest.PitrRequest;
import dev.rewind.pitr.run.PitrPlan;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The life of PITR runs in the database: a run is accepted only after every check that can be made up front, with
 * its pitr.started event in the same transaction; its phases, heartbeats and end (pitr.completed / pitr.failed) are
 * recorded here. One running run per server is guaranteed by the unique index {@code pitr_run_one_running}.
 */
@ApplicationScoped
public class PitrRunService {

    static final String ONE_RUNNING_INDEX = "pitr_run_one_running";
    private static final DateTimeFormatter TARGET_FOLDER = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final DateTimeFormatter DATE_FOLDER = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME_FOLDER = DateTimeFormatter.ofPattern("HHmmss");

    private final IndexRepository index;
    private final Outbox outbox;

    private final ServerProjectionService servers;
    /** A tenant's runs at once, over all its servers: one tenant cannot take every runner (and S3 and CPU). */
    private final int maxPerTenant;

    public PitrRunService(IndexRepository index, Outbox outbox, ServerProjectionService servers,
            dev.rewind.pitr.config.PitrConfig config) {
        this.index = index;
        this.outbox = outbox;
        this.servers = servers;
        this.maxPerTenant = config.runs().maxRunningPerTenant();
    }

    /** What a validated request becomes: the run and the plan its runner follows. */
    public record Accepted(PitrRun run, PitrPlan plan) {
    }

    /**
     * Checks the request against the server's coverage, baselines and schema, then records the run (phase preparing)
     * and publishes pitr.started.
     *
     * @param tables {@code schema.table} names, already well-formed; null for every table
     * @param bucketUri {@code s3://bucket/}, the root of the run's output path
     */
    @WithTransaction
    public Uni<Accepted> start(String tenant, UUID serverId, OffsetDateTime target, List<String> tables, boolean allowGaps,
            String instance, String bucketUri) {
        return start(tenant, serverId, target, null, tables, allowGaps, instance, bucketUri);
    }

    /**
     * As {@link #start(String, UUID, OffsetDateTime, List, boolean, String, String)}, the target given either as a time
     * or as a GTID or binlog place ({@code place}, then {@code target} is null), which the index turns into the commit
     * time to recover to and the last binlog place included.
     */
    @WithTransaction
    public Uni<Accepted> start(String tenant, UUID serverId, OffsetDateTime target, PitrRequest.Place place, List<String> tables,
            boolean allowGaps, String instance, String bucketUri) {
        if (place == null) {
            return start(tenant, serverId, target, Long.MAX_VALUE, null, tables, allowGaps, instance, bucketUri);
        }
        return servers.ofTenant(tenant, serverId).chain(server -> index.resolve(serverId, place)).chain(resolved -> {
            if (resolved == null) {
                throw ProblemException.unprocessable("No indexed row change of server " + serverId + " is at " + place
                        + ": the target must name a transaction (or a place after one) inside the coverage window");
            }
            return start(tenant, serverId, resolved.time(), resolved.lastSeq(), place, tables, allowGaps, instance, bucketUri);
        });
    }

    private Uni<Accepted> start(String tenant, UUID serverId, OffsetDateTime target, long targetSeq, PitrRequest.Place place,
            List<String> tables, boolean allowGaps, String instance, String bucketUri) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return servers.ofTenant(tenant, serverId)
                .chain(server -> {
                    if (server.decommissionedAt != null) {
                        throw ProblemException.unprocessable("Server " + serverId + " is decommissioned");
                    }
                    if (target.isAfter(now)) {
                        throw ProblemException.unprocessable("target_time " + target + " is in the future (it is now "
                                + now.truncatedTo(ChronoUnit.SECONDS) + ")");
                    }
                    return runningOfTenant(server.tenant).chain(ofTenant -> {
                        if (ofTenant >= maxPerTenant) {
                            throw ProblemException.tooManyRequests("The tenant has " + ofTenant + " PITR runs running, as many"
                                    + " as it may at once (rewind.pitr.runs.max-running-per-tenant); try again when one has finished",
                                    java.time.Duration.ofSeconds(30));
                        }
                        return index.window(serverId);
                    }).chain(window -> {
                        checkCoverage(serverId, target, window);
                        return baseline(tenant, serverId, target, targetSeq)
                                .chain(baseline -> index.schemaAt(serverId, target, targetSeq).chain(schema -> {
                                    List<String> chosen = checkTables(target, tables, schema);
                                    return running(serverId).chain(busy -> {
                                        if (busy != null) {
                                            throw conflict(serverId, busy.id);
                                        }
                                        return insert(server, target, targetSeq, place, tables, chosen, allowGaps, baseline,
                                                schema, instance, bucketUri, now);
                                    });
                                }));
                    });
                });
    }

    private Uni<Accepted> insert(Server server, OffsetDateTime target, long targetSeq, PitrRequest.Place place,
            List<String> requested, List<String> chosen,
            boolean allowGaps, Baseline baseline, IndexRepository.Schema schema, String instance, String bucketUri,
            OffsetDateTime now) {
        PitrRun run = new PitrRun();
        run.id = UUID.randomUUID();
        run.tenant = server.tenant;
        run.serverId = server.id;
        run.serverName = server.name;
        run.targetTime = target;
        run.tablesFilter = requested == null ? null : String.join(",", requested);
        run.allowGaps = allowGaps;
        run.status = "running";
        run.phase = "preparing";
        run.baselineBackupId = baseline.backupId;
        run.instance = instance;
        run.heartbeatAt = now;
        run.startedAt = now;
        run.s3Path = bucketUri + "pitr/" + server.tenant + "/" + server.id + "/" + TARGET_FOLDER.format(target.withOffsetSameInstant(ZoneOffset.UTC))
                + "/" + DATE_FOLDER.format(now) + "/" + TIME_FOLDER.format(now) + "-" + run.id.toString().substring(0, 8) + "/";
        PitrPlan plan = new PitrPlan(run.id, run.tenant, run.serverId, target, chosen, requested == null, allowGaps,
                new PitrPlan.Baseline(baseline.backupId, baseline.s3Path, baseline.binlogFile, baseline.binlogPosition,
                        baseline.completedAt),
                schema.tables(), run.s3Path, targetSeq, place == null ? null : place.toString());
        return run.<PitrRun>persistAndFlush()
                .onFailure(PitrRunService::isOneRunningViolation).transform(e -> conflict(server.id, null))
                .call(() -> outbox.publish(PitrEvent.started(run)))
                .replaceWith(new Accepted(run, plan));
    }

    private static void checkCoverage(UUID serverId, OffsetDateTime target, IndexRepository.Window window) {
        if (window.oldest() == null) {
            throw ProblemException.unprocessable("Server " + serverId + " has no indexed binlog events yet: PITR replays the "
                    + "indexed changes on top of a backup, so the stream must have run from before the target");
        }
        if (target.isBefore(window.oldest())) {
            throw ProblemException.unprocessable("target_time " + target + " is before the coverage window, which starts at "
                    + window.oldest() + " (the oldest indexed event)");
        }
        boolean live = "streaming".equals(window.state());
        if (!live && target.isAfter(window.latest())) {
            throw ProblemException.unprocessable("target_time " + target + " is after the coverage window, which ends at "
                    + window.latest() + " (the latest indexed event; the binlog stream is " + (window.state() == null
                            ? "not running" : "not live: " + window.state()) + ")");
        }
    }

    /**
     * The newest baseline before the target: for a time, completed at or before it; for a GTID or binlog place
     * ({@code targetSeq} not {@link Long#MAX_VALUE}), at a binlog place at or before the last one included, since a
     * MariaDB commit time has whole seconds only and a backup in the target's second can still be before it.
     */
    private static Uni<Baseline> baseline(String tenant, UUID serverId, OffsetDateTime target, long targetSeq) {
        return Baseline.<Baseline>list("tenant = ?1 and serverId = ?2 and deletedAt is null and s3Path is not null "
                        + "and binlogFile is not null and binlogPosition is not null order by completedAt", tenant, serverId)
                .map(all -> {
                    Baseline chosen = null;
                    for (Baseline b : all) {
                        boolean before = targetSeq == Long.MAX_VALUE ? !b.completedAt.isAfter(target)
                                : BinlogPosition.seq(b.binlogFile, b.binlogPosition) <= targetSeq;
                        if (before && (chosen == null || targetSeq == Long.MAX_VALUE
                                || BinlogPosition.seq(b.binlogFile, b.binlogPosition)
                                        >= BinlogPosition.seq(chosen.binlogFile, chosen.binlogPosition))) {
                            chosen = b;
                        }
                    }
                    if (chosen != null) {
                        return chosen;
                    }
                    if (all.isEmpty()) {
                        throw ProblemException.unprocessable("PITR to " + target + " needs a completed backup of server " + serverId
                                + " from before " + target + " as its baseline; the server has none (take a backup first)");
                    }
                    throw ProblemException.unprocessable("PITR to " + target + " needs a completed backup from before " + target
                            + " as its baseline; the oldest is from " + all.get(0).completedAt);
                });
    }

    /** The tables to rebuild: the requested ones, each in the schema at the target; else every table of that schema. */
    private static List<String> checkTables(OffsetDateTime target, List<String> requested, IndexRepository.Schema schema) {
        if (schema == null) {
            throw ProblemException.unprocessable("No schema snapshot of the server exists yet: PITR writes each table's schema "
                    + "from the snapshot at the target");
        }
        if (requested == null) {
            return List.copyOf(schema.tables().keySet());
        }
        for (String table : requested) {
            if (!schema.tables().containsKey(table)) {
                throw ProblemException.unprocessable("Table " + table + " is not in the server's schema at " + target
                        + " (schema snapshot version " + schema.version() + ")");
            }
        }
        return requested;
    }

    private static Uni<Long> runningOfTenant(String tenant) {
        return PitrRun.count("tenant = ?1 and status = 'running'", tenant);
    }

    private static Uni<PitrRun> running(UUID serverId) {
        return PitrRun.<PitrRun>find("serverId = ?1 and status = 'running'", serverId).firstResult();
    }

    private static ProblemException conflict(UUID serverId, UUID running) {
        return ProblemException.conflict("A PITR run " + (running == null ? "" : running + " ") + "is already running for server "
                + serverId + "; one runs at a time per server");
    }

    static boolean isOneRunningViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(ONE_RUNNING_INDEX)) {
                return true;
            }
        }
        return false;
    }

    /*
     * Every update of a running run is fenced: it applies only while the run is still running and still held by the
     * instance that writes, so a runner that lost its claim (it stalled past the stale limit and a janitor took the
     * run for an orphan) can neither keep it alive nor complete it after its output was removed.
     */

    @WithTransaction
    public Uni<Void> enterPhase(UUID id, String instance, String phase) {
        return PitrRun.update("phase = ?1, heartbeatAt = ?2 where id = ?3 and status = 'running' and instance = ?4", phase,
                OffsetDateTime.now(ZoneOffset.UTC), id, instance).replaceWithVoid();
    }

    /** Proves the runs this instance executes are alive. */
    @WithTransaction
    public Uni<Integer> heartbeat(Set<UUID> ids, String instance) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return PitrRun.update("heartbeatAt = ?1 where id in ?2 and status = 'running' and instance = ?3",
                OffsetDateTime.now(ZoneOffset.UTC), ids, instance);
    }

    /**
     * Completes a run that still runs on this instance (one failed meanwhile, or taken for an orphan by another
     * instance, is left as it is); answers the run.
     */
    @WithTransaction
    public Uni<PitrRun> complete(UUID id, String instance, long sizeBytes, int fileCount, List<String> notes) {
        return PitrRun.<PitrRun>findById(id).chain(run -> {
            if (!"running".equals(run.status) || !instance.equals(run.instance)) {
                return Uni.createFrom().item(run);
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            run.status = "completed";
            run.phase = "complete";
            run.sizeBytes = sizeBytes;
            run.fileCount = fileCount;
            run.completedAt = now;
            run.durationMs = Duration.between(run.startedAt, now).toMillis();
            run.notes = notes.isEmpty() ? null : String.join("\n", notes);
            return outbox.publish(PitrEvent.completed(run)).replaceWith(run);
        });
    }

    /** Marks a run failed (if it still runs on this instance); its phase stays the one it failed in. */
    @WithTransaction
    public Uni<PitrRun> fail(UUID id, String instance, String error, List<String> notes) {
        return PitrRun.<PitrRun>findById(id).chain(run -> {
            if (run == null || !"running".equals(run.status) || !instance.equals(run.instance)) {
                return Uni.createFrom().item(run);
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            run.errorMessage = error;
            run.status = "failed";
            run.completedAt = now;
            run.durationMs = Duration.between(run.startedAt, now).toMillis();
            run.notes = notes.isEmpty() ? run.notes : String.join("\n", notes);
            return outbox.publish(PitrEvent.failed(run)).replaceWith(run);
        });
    }

    /**
     * Claims one running run whose instance stopped proving it is alive: its heartbeat is moved to now under this
     * instance's name, so only one janitor cleans it up.
     */
    @WithTransaction
    public Uni<PitrRun> claimOrphan(String instance, Duration staleAfter) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return PitrRun.<PitrRun>find("status = 'running' and heartbeatAt < ?1", now.minus(staleAfter)).firstResult()
                .chain(run -> {
                    if (run == null) {
                        return Uni.createFrom().nullItem();
                    }
                    String lost = run.instance;
                    return PitrRun.update("heartbeatAt = ?1, instance = ?2 where id = ?3 and status = 'running' and heartbeatAt < ?4",
                                    now, instance, run.id, now.minus(staleAfter))
                            .map(claimed -> {
                                if (claimed == 0) {
                                    return null;
                                }
                                run.instance = lost; // the caller names the instance that was lost
                                return run;
                            });
                });
    }

    /** The run ids that are no longer running, among those given (scratch folders left by a previous life). */
    @WithSession
    public Uni<List<UUID>> notRunning(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return PitrRun.<PitrRun>list("id in ?1 and status = 'running'", ids)
                .map(running -> ids.stream().filter(id -> running.stream().noneMatch(r -> r.id.equals(id))).toList());
    }
}
