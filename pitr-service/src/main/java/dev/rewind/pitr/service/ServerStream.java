package dev.rewind.pitr.service;

import static dev.rewind.pitr.service.OnboardingReporter.*;

import dev.rewind.source.SourceAddresses;
import dev.rewind.source.SourceFailures;
import dev.rewind.commons.work.Blocking;
import dev.rewind.pitr.BinlogGap;
import dev.rewind.pitr.Server;
import dev.rewind.pitr.binlog.BinlogPosition;
import dev.rewind.pitr.binlog.BinlogStreamer;
import dev.rewind.pitr.binlog.SchemaSnapshot;
import dev.rewind.pitr.binlog.SourceInspector;
import dev.rewind.pitr.binlog.StreamListener;
import dev.rewind.source.RegisteredSource;
import dev.rewind.pitr.index.IndexWriter;
import dev.rewind.pitr.index.Partitions;
import dev.rewind.pitr.index.StreamStore;
import io.quarkus.logging.Log;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The life of one owned server on this instance, on its own worker thread: onboarding (each step reported, a failed
 * step retried with backoff), then streaming from the checkpoint, restarted with backoff whenever the stream ends,
 * until the server is released (rebalance, decommission, shutdown).
 */
final class ServerStream implements Runnable {

    /** How often a live stream refreshes its status row; coverage treats an older "streaming" as unavailable. */
    static final long STATUS_REFRESH_MS = 30_000;

    private static final String[] STEPS = {PROVISIONING, AWAITING_FIREWALL, WAITING_FOR_AGENT, INITIALIZING, SNAPSHOTTING};

    private final UUID id;
    private final StreamSupervisor supervisor;
    private final Object wake = new Object();
    private volatile Server server;
    private volatile boolean stopped;
    private volatile BinlogStreamer streamer;
    private volatile String state = "onboarding";
    private volatile String error;
    /** When the state last changed, and whether this server's onboarding is done (it is then expected to stream). */
    private volatile long stateSince = System.currentTimeMillis();
    private volatile boolean onboarded;
    /** After a live stream died: the attempt its recovery reports to server-registry once streaming again. */
    private int recoveryAttempt;
    /** Whether the server is shown failed for the current outage (reported once per outage, not per retry). */
    private boolean reportedDown;
    private int nextStep;
    private int attempt = 1;

    ServerStream(Server server, StreamSupervisor supervisor) {
        this.id = server.id;
        this.server = server;
        this.supervisor = supervisor;
    }

    UUID id() {
        return id;
    }

    Server server() {
        return server;
    }

    int partition() {
        return server.kafkaPartition;
    }

    String state() {
        return state;
    }

    String error() {
        return error;
    }

    /** Milliseconds this onboarded stream has been out of "streaming"; 0 while it streams or is still onboarding. */
    long outOfStreamingMillis() {
        return !onboarded || stopped || "streaming".equals(state) ? 0 : System.currentTimeMillis() - stateSince;
    }

    /** Bytes this stream's read-but-unwritten rows hold. */
    double queuedBytes() {
        BinlogStreamer s = streamer;
        return s == null ? 0 : s.queuedBytes();
    }

    double lagSeconds() {
        BinlogStreamer s = streamer;
        return s == null ? 0 : s.lagSeconds();
    }

    /** A newer projection of the server (firewall confirmed...). */
    void update(Server newer) {
        server = newer;
        signal();
    }

    void stop() {
        stopped = true;
        signal();
        BinlogStreamer s = streamer;
        if (s != null) {
            s.stop(Duration.ofSeconds(30));
        }
    }

    private void signal() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    @Override
    public void run() {
        Duration delay = supervisor.config().stream().retryDelay();
        while (!stopped) {
            try {
                Optional<RegisteredSource> known = supervisor.registry().connection(id);
                if (known.isEmpty()) {
                    Log.infof("server %s is unknown to server-registry: not streaming it", id);
                    supervisor.store().retire(id);
                    setState("stopped", "unknown to server-registry");
                    return;
                }
                Optional<RegisteredSource> details = Optional.of(checkedAddress(known.get()));
                boolean done = supervisor.store().onboarded(id);
                onboarded = done;
                if (!done) {
                    onboard(details.get());
                }
                if (stopped) {
                    break;
                }
                String reason = stream(details.get(), !done);
                if (stopped) {
                    break;
                }
                setState("failed", reason);
                died(reason);
                delay = supervisor.config().stream().retryDelay(); // it streamed: the next failure starts the backoff anew
            } catch (StepFailed e) {
                attempt++;
                delay = next(delay, supervisor.config().onboarding().maxRetryDelay());
            } catch (Exception e) {
                Log.warnf("stream of %s: %s", id, e.getMessage());
                setState("failed", e.getMessage());
                if (onboarded && !reportedDown) {
                    died(reason(e)); // an onboarded server that cannot stream, seen first here (e.g. after a restart)
                }
                delay = next(delay, supervisor.config().stream().maxRetryDelay());
            }
            pause(delay);
        }
        state = "stopped";
        // the status row is the server's, not this stream's: a newer stream of it (here, after a revoke and a new
        // assignment, or on the instance that took it over) may already have recorded its own state
        if (!supervisor.running(id)) { // a stopped stream has already left the supervisor's map
            supervisor.store().stoppedIfOwner(id, supervisor.instance());
        }
    }

    /**
     * The details with the host replaced by the address it resolves to now, once that passed the source policy: the
     * binlog client and JDBC connect there, never to the name again.
     */
    private RegisteredSource checkedAddress(RegisteredSource details) {
        try {
            return details.at(SourceAddresses.literal(supervisor.addresses().check(details.host())));
        } catch (SourceAddresses.Refused e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    /** A live stream ended: counted, shown on the server (error) and as an anomaly; it restarts after the backoff. */
    private void died(String reason) {
        supervisor.streamDied(id);
        reportedDown = true;
        try {
            int failures = supervisor.store().recordFailure(id);
            recoveryAttempt = failures + 1;
            Blocking.await(() -> supervisor.reporter().streamDied(id, server.tenant, server.name, reason, recoveryAttempt,
                    supervisor.instance()));
        } catch (Exception e) {
            Log.warnf("cannot report the failed stream of %s: %s", id, e.getMessage());
        }
    }

    private static Duration next(Duration delay, Duration max) {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }

    private void pause(Duration delay) {
        synchronized (wake) {
            if (!stopped) {
                try {
                    wake.wait(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopped = true;
                }
            }
        }
    }

    // ---------------------------------------------------------------- onboarding

    private void onboard(RegisteredSource details) throws Exception {
        setState("onboarding", null);
        SourceInspector inspector = new SourceInspector(details.endpoint());
        for (; nextStep < STEPS.length && !stopped; nextStep++) {
            String step = STEPS[nextStep];
            report(step, STARTED, null);
            try {
                runStep(step, details, inspector);
            } catch (Stopped e) {
                return;
            } catch (Exception e) {
                String reason = reason(e, details);
                Log.warnf("onboarding of %s failed at %s (attempt %d): %s", id, step, attempt, reason);
                report(step, FAILED, reason);
                setState("failed", step + ": " + reason);
                throw new StepFailed();
            }
            report(step, COMPLETED, null);
        }
    }

    private void runStep(String step, RegisteredSource details, SourceInspector inspector) throws Exception {
        switch (step) {
            case AWAITING_FIREWALL -> {
                if ("ssh_tunnel".equals(details.connectionMethod())) {
                    // server-registry's confirm-firewall arrives as server.updated with firewall_confirmed=true
                    synchronized (wake) {
                        while (!server.firewallConfirmed && !stopped) {
                            wake.wait(1000);
                        }
                    }
                    if (stopped) {
                        throw new Stopped();
                    }
                }
            }
            case WAITING_FOR_AGENT -> {
                SourceInspector.ServerInfo info = inspector.info();
                if (!info.logBin()) {
                    throw new IllegalStateException("binary logging is off (log_bin)");
                }
                if (!"ROW".equalsIgnoreCase(info.binlogFormat())) {
                    throw new IllegalStateException("binlog_format is " + info.binlogFormat() + "; ROW is required");
                }
                if (!"FULL".equalsIgnoreCase(info.rowImage())) {
                    throw new IllegalStateException("binlog_row_image is " + info.rowImage() + "; FULL is required");
                }
                inspector.currentPosition(); // needs BINLOG MONITOR / REPLICATION CLIENT
            }
            case INITIALIZING -> {
                SourceInspector.ServerInfo info = inspector.info();
                supervisor.store().initCheckpoint(id, inspector.currentPosition(), info.gtidSet(), info.identity());
                Partitions.ensure(supervisor.store().dataSource(), LocalDate.now(ZoneOffset.UTC));
            }
            case SNAPSHOTTING -> supervisor.store().storeSnapshotIfChanged(id, inspector.snapshot(), "onboarding",
                    supervisor.store().checkpoint(id).map(StreamStore.Checkpoint::position).orElse(null));
            default -> {
                // provisioning: this instance owns the server and has its connection details
            }
        }
    }

    // ---------------------------------------------------------------- streaming

    /** Streams until the stream ends; answers why it ended (null when stopped). */
    private String stream(RegisteredSource details, boolean reportStreaming) throws Exception {
        if (reportStreaming) {
            report(STREAMING, STARTED, null);
        }
        SourceInspector inspector = new SourceInspector(details.endpoint());
        BinlogStreamer started;
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        String[] failure = new String[1];
        try {
            SourceInspector.ServerInfo info = inspector.info();
            BinlogPosition start = resumePosition(inspector, info);
            SchemaSnapshot snapshot = inspector.snapshot();
            supervisor.store().storeSnapshotIfChanged(id, snapshot, "stream start", start);
            setState("connecting", null);
            long replicaId = supervisor.config().stream().replicaServerIdBase() + ThreadLocalRandom.current().nextLong(1L << 30);
            Supplier<SchemaSnapshot> snapshotter = () -> {
                try {
                    return inspector.snapshot();
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            };
            StreamListener listener = new StreamListener() {
                @Override
                public void connected() {
                    connected.countDown();
                }

                @Override
                public void failed(String reason) {
                    failure[0] = reason;
                    ended.countDown();
                }

                @Override
                public void written(int transactions, long rows, Instant firstCommit, Instant lastCommit) {
                    supervisor.recordBatch(id, rows, lastCommit);
                }
            };
            started = new BinlogStreamer(server.name + "-" + id.toString().substring(0, 8), details.endpoint(), start, snapshot,
                    snapshotter, new IndexWriter(supervisor.store().dataSource(), id, info.mariadb()), listener,
                    supervisor.streamSettings(replicaId), supervisor.ingestBudget());
            supervisor.store().checkpoint(id).ifPresent(checkpoint -> started.commitsNotBefore(
                    checkpoint.lastCommitTime() != null ? checkpoint.lastCommitTime() : checkpoint.updatedAt()));
            streamer = started;
            if (stopped) {
                return null;
            }
            started.start();
            while (connected.getCount() > 0 && ended.getCount() > 0 && !stopped) {
                connected.await(200, TimeUnit.MILLISECONDS);
            }
            if (connected.getCount() > 0) {
                throw new IllegalStateException(failure[0] == null ? "stopped before the stream was live" : failure[0]);
            }
        } catch (Exception e) {
            if (reportStreaming && !stopped) {
                report(STREAMING, FAILED, reason(e));
                if (streamer != null) {
                    streamer.stop(Duration.ofSeconds(10));
                }
                throw new StepFailed();
            }
            throw e;
        }
        setState("streaming", null);
        if (reportStreaming) {
            supervisor.store().markOnboarded(id);
            report(STREAMING, COMPLETED, null);
            nextStep = 0;
            attempt = 1;
            onboarded = true;
        } else {
            reportRecovery();
        }
        Log.infof("streaming %s (%s) from the checkpoint", id, server.name);
        long touched = System.currentTimeMillis();
        while (!stopped && ended.getCount() > 0) {
            ended.await(500, TimeUnit.MILLISECONDS);
            if (ended.getCount() > 0 && !started.alive() && !stopped) {
                failure[0] = "the stream's reader or writer thread died";
                break;
            }
            if (System.currentTimeMillis() - touched > STATUS_REFRESH_MS && ended.getCount() > 0 && !stopped) {
                setState("streaming", null); // coverage's "available" trusts a streaming state only while it is fresh
                touched = System.currentTimeMillis();
            }
        }
        started.stop(Duration.ofSeconds(30));
        return stopped ? null : failure[0];
    }

    /** The checkpoint, unless the source can no longer serve it: then a gap is recorded and the stream starts at its end. */
    private BinlogPosition resumePosition(SourceInspector inspector, SourceInspector.ServerInfo info) throws Exception {
        StreamStore.Checkpoint checkpoint = supervisor.store().checkpoint(id)
                .orElseThrow(() -> new IllegalStateException("no checkpoint: onboarding did not initialize the index"));
        BinlogPosition position = checkpoint.position();
        String kind = null;
        String message = null;
        if (!info.identity().equals(checkpoint.identity())) {
            kind = BinlogGap.IDENTITY_CHANGED;
            message = "the server's identity changed from " + checkpoint.identity() + " to " + info.identity()
                    + ": its binlog is another server's";
        } else {
            List<SourceInspector.BinlogFile> files = inspector.binaryLogs();
            SourceInspector.BinlogFile file = files.stream().filter(f -> f.name().equals(position.file())).findFirst().orElse(null);
            if (file == null) {
                kind = BinlogGap.PURGED;
                message = "binlog " + position.file() + " was purged before it was read (oldest now "
                        + (files.isEmpty() ? "none" : files.get(0).name()) + ")";
            } else if (position.position() > file.size()) {
                kind = BinlogGap.RESTARTED_PAST_UNREAD;
                message = "binlog " + position.file() + " ends at " + file.size() + ", before the checkpoint " + position.position();
            }
        }
        if (kind == null) {
            return position;
        }
        BinlogPosition now = inspector.currentPosition();
        Instant gapStart = checkpoint.lastCommitTime() != null ? checkpoint.lastCommitTime() : checkpoint.updatedAt();
        Log.warnf("gap in the index of %s: %s", id, message);
        GapService.Gap gap = new GapService.Gap(id, server.tenant, kind, gapStart, Instant.now(), position, now, message,
                info.identity(), info.gtidSet());
        Blocking.await(() -> supervisor.gaps().record(gap));
        return now;
    }

    // ---------------------------------------------------------------- reporting

    private void report(String step, String status, String error) {
        report(step, status, error, attempt);
    }

    private void report(String step, String status, String error, int stepAttempt) {
        try {
            Blocking.await(() -> supervisor.reporter().report(id, server.tenant, step, status, error, stepAttempt, supervisor.instance()));
        } catch (Exception e) {
            Log.warnf("cannot record onboarding step %s %s of %s: %s", step, status, id, e.getMessage());
        }
    }

    /** Streaming again: the streaming step completed in the attempt after the last failure (the server is active). */
    private void reportRecovery() throws SQLException {
        int recovery = recoveryAttempt > 0 ? recoveryAttempt : supervisor.store().failures(id) + 1;
        if (recovery > 1) { // after a death: on this instance, or on the one that had the server before
            report(STREAMING, COMPLETED, null, recovery);
        }
        recoveryAttempt = 0;
        reportedDown = false;
    }

    private void setState(String newState, String newError) {
        if (!newState.equals(state)) {
            stateSince = System.currentTimeMillis();
        }
        state = newState;
        error = newError;
        supervisor.store().status(id, newState, newError, supervisor.instance());
    }

    /**
     * A failure to reach the source is told the way the connection check tells it ({@link SourceFailures}): the
     * reason where a MySQL server answered (access, TLS), one sentence for everything else.
     */
    private static String reason(Exception e, RegisteredSource details) {
        java.sql.SQLException sql = e instanceof java.sql.SQLException direct ? direct
                : e.getCause() instanceof java.sql.SQLException cause ? cause : null;
        if (sql != null && sql.getSQLState() != null && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("28000"))) {
            return SourceFailures.cannotConnect(sql, details.endpoint());
        }
        return reason(e);
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    /** A step failed and was reported; the loop retries it after the backoff. */
    private static final class StepFailed extends Exception {
        StepFailed() {
            super(null, null, false, false);
        }
    }

    private static final class Stopped extends Exception {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
