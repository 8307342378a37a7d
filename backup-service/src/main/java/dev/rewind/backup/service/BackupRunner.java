package dev.rewind.backup.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.backup.Backup;
import dev.rewind.source.RegisteredSource;
import dev.rewind.source.SourceAddresses;
import dev.rewind.source.SourceFailures;
import dev.rewind.backup.client.ServerRegistryClient;
import dev.rewind.backup.client.ServerRegistryClient.ConnectionUnavailable;
import dev.rewind.backup.config.BackupConfig;
import dev.rewind.backup.dumper.DumpFailed;
import dev.rewind.backup.dumper.DumpResult;
import dev.rewind.backup.dumper.Mydumper;
import dev.rewind.backup.dumper.Mysqldump;
import dev.rewind.backup.dumper.SourceInspector;
import dev.rewind.backup.dumper.SourceSnapshot;
import dev.rewind.backup.messaging.WorkOwnership;
import dev.rewind.backup.storage.ArtifactStore;
import dev.rewind.backup.storage.StoredFile;
import dev.rewind.backup.verify.RestoreVerifier;
import dev.rewind.backup.verify.Verification;
import dev.rewind.commons.work.Blocking;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs claimed backups on its own threads (never the event loop): connection from server-registry, mydumper into
 * a private folder, then every file counted, compressed, hashed and uploaded in one pass ({@link DumpShipper}), the
 * manifest last, then the entry completed. Any failure leaves a failed entry with a readable error and no S3 objects.
 */
@ApplicationScoped
public class BackupRunner {

    public static final String MANIFEST = "manifest.json";
    static final String MYSQLDUMP = "mysqldump";

    private final BackupRunService runs;
    private final ServerRegistryClient registry;
    private final Mydumper mydumper;
    private final Mysqldump mysqldump;
    private final ArtifactStore store;
    private final RestoreVerifier verifier;
    private final SourceAddresses addresses;
    private final WorkOwnership ownership;
    private final ObjectMapper json;
    private final BackupConfig config;
    private final String instance;
    private final ExecutorService backupThreads;
    private final ExecutorService uploadThreads;
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();

    public BackupRunner(BackupRunService runs, ServerRegistryClient registry, Mydumper mydumper, Mysqldump mysqldump,
            ArtifactStore store, RestoreVerifier verifier, WorkOwnership ownership, ObjectMapper json, BackupConfig config,
            SourceAddresses addresses) {
        this.addresses = addresses;
        this.ownership = ownership;
        this.mysqldump = mysqldump;
        this.verifier = verifier;
        this.runs = runs;
        this.registry = registry;
        this.mydumper = mydumper;
        this.store = store;
        this.json = json;
        this.config = config;
        this.instance = config.worker().instanceId().orElse("backup-" + UUID.randomUUID().toString().substring(0, 8));
        this.backupThreads = Executors.newFixedThreadPool(config.worker().maxConcurrent(), Blocking.daemonThreads("backup-run"));
        this.uploadThreads = Executors.newFixedThreadPool(config.s3().uploadThreads(), Blocking.daemonThreads("backup-upload"));
    }

    /** After a start, off the start path: an unreachable bucket is said in the log at once, not at the first backup. */
    void onStart(@Observes StartupEvent event) {
        uploadThreads.execute(() -> {
            try {
                store.checkBucket();
                Log.infof("bucket %s is reachable", store.bucket());
            } catch (RuntimeException e) {
                Log.warnf("bucket %s is not reachable now (backups fail until it is): %s", store.bucket(),
                        Blocking.rootMessage(e));
            }
        });
    }

    /** Servers were assigned here: their queued backups start now rather than at the next poll. */
    void onAssigned(@Observes WorkOwnership.Assigned assigned) {
        nudge();
    }

    /** Looks for queued work right away (after a request was queued here) instead of at the next poll. */
    public void nudge() {
        backupThreads.execute(() -> {
            try {
                claimAndStart();
            } catch (RuntimeException e) {
                Log.warnf("looking for queued backups failed: %s", e.getMessage());
            }
        });
    }

    public String instance() {
        return instance;
    }

    /** The backups this instance is running now (their heartbeats are written by the worker job). */
    public Set<UUID> inFlight() {
        return Set.copyOf(inFlight);
    }

    /**
     * Claims queued backups of the servers this instance holds ({@link WorkOwnership}) while it has room, and starts
     * them. Blocking: call from a worker thread.
     * Synchronized: the periodic poll and the nudge after a request never overfill this instance.
     */
    public synchronized int claimAndStart() {
        int started = 0;
        while (inFlight.size() < config.worker().maxConcurrent()) {
            Backup backup;
            try {
                Set<Integer> partitions = ownership.partitions();
                backup = Blocking.await(() -> runs.claimNext(instance, partitions));
            } catch (RuntimeException e) {
                // typically another instance claimed a backup of the same server at the same moment (the unique
                // index backup_one_active_per_server said no); the next round looks again
                Log.infof("claiming a queued backup did not succeed, retrying next round: %s", e.getMessage());
                return started;
            }
            if (backup == null) {
                return started;
            }
            inFlight.add(backup.id);
            backupThreads.submit(() -> runClaimed(backup));
            started++;
        }
        return started;
    }

    void runClaimed(Backup backup) {
        Path work = config.worker().workDir().resolve(backup.id.toString());
        String prefix = store.prefixOf(backup.s3Path);
        try {
            Files.createDirectories(work);
            Path out = work.resolve("dump");
            RegisteredSource server = registry.connection(backup.serverId);
            if ("ssh_tunnel".equalsIgnoreCase(server.connectionMethod())) {
                throw new DumpFailed("Servers reached through an SSH tunnel cannot be backed up by backup-service yet");
            }
            server = checkedAddress(server);
            List<String> databases = databases(backup);
            long t0 = System.nanoTime();
            SourceSnapshot source = inspect(server, databases);
            DumpResult dump;
            if (MYSQLDUMP.equals(backup.backupTool)) {
                if (source == null) {
                    source = SourceInspector.inspect(server, databases); // fails again with the readable reason
                }
                dump = mysqldump.dump(server, source.kind(), source.schemas(), out, work);
            } else {
                if (source != null) {
                    Mydumper.refuseLossyTables(source);
                }
                dump = mydumper.dump(server, databases, out, work);
                if (source == null) {
                    source = SourceInspector.inspect(server, databases); // fails again with the readable reason
                }
            }
            long dumped = System.nanoTime();
            Blocking.await(() -> runs.enterPhase(backup.id, instance, "uploading"));
            DumpResult.Shipment shipment = new DumpShipper(store, prefix, uploadThreads, config.dumper().gzipLevel(),
                    backup.backupTool)
                    .ship(dump.files());
            List<DumpResult.TableRows> tables = shipment.tables();
            List<StoredFile> stored = shipment.files();
            long size = stored.stream().mapToLong(StoredFile::sizeBytes).sum();
            store.put(prefix + MANIFEST, manifest(backup, dump, source, tables, stored), "application/json");
            Log.infof("backup %s: dump %d ms, then compress, upload and manifest %d ms", backup.id, (dumped - t0) / 1_000_000,
                    (System.nanoTime() - dumped) / 1_000_000);
            Blocking.deleteTree(out); // the verification restores what is in S3, not the local copy
            Verification verification = verify(backup, prefix, stored, source, tables, work);
            SourceSnapshot snapshot = source;
            Backup done = Blocking.await(() -> runs.finish(backup.id, instance, dump.binlog(), tables, size, snapshot, verification));
            if (done == null) {
                // crash recovery failed it while this worker stalled and removed its files: what came after goes too
                store.deleteAll(prefix);
                Log.warnf("backup %s finished after it had been failed as orphaned: its files were removed", backup.id);
                return;
            }
            Log.infof("backup %s of server %s %s: %d files, %d bytes, %s; verification %s", backup.id, backup.serverId,
                    verification.failed() ? "failed its verification" : "completed", stored.size(), size, backup.s3Path,
                    verification.status());
        } catch (SQLException e) {
            failed(backup, prefix, "The server's version and schema could not be read: " + e.getMessage());
        } catch (DumpFailed | ConnectionUnavailable e) {
            failed(backup, prefix, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(backup, prefix, "Interrupted: backup-service is stopping");
        } catch (Exception e) {
            Log.errorf(e, "backup %s failed unexpectedly", backup.id);
            failed(backup, prefix, "Backup failed: " + Blocking.rootMessage(e));
        } finally {
            Blocking.deleteTree(work);
            inFlight.remove(backup.id);
        }
    }

    /**
     * The connection with the address its host resolves to now, once that address passed the source policy
     * ({@link SourceAddresses}): the tools and JDBC connect there, never to the name again (see
     * {@link dev.rewind.source.SourceEndpoint#connectHost()} for verify_identity).
     */
    private RegisteredSource checkedAddress(RegisteredSource server) {
        try {
            return server.at(SourceAddresses.literal(addresses.check(server.host())));
        } catch (SourceAddresses.Refused e) {
            throw new DumpFailed(e.getMessage());
        }
    }

    /**
     * The source's kind and schema right before the dump; null when unreadable (mydumper then says why, in its words).
     * A source that cannot be reached at all fails the backup here, told as the connection check tells it
     * ({@link SourceFailures}: a reason only where a MySQL server answered), not in the tool's words, which say
     * whether the port was refused or timed out.
     */
    private static SourceSnapshot inspect(RegisteredSource server, List<String> databases) {
        try {
            return SourceInspector.inspect(server, databases);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("08") || state.equals("28000") || e instanceof java.sql.SQLTimeoutException) {
                String why = SourceFailures.cannotConnect(e, server.endpoint());
                throw new DumpFailed(Character.toUpperCase(why.charAt(0)) + why.substring(1));
            }
            Log.infof("reading the version and schema of %s failed: %s", server, e.getMessage());
            return null;
        }
    }

    /** Restore verification when asked for and a verification server of the source's kind is configured. */
    private Verification verify(Backup backup, String prefix, List<StoredFile> stored, SourceSnapshot source,
            List<DumpResult.TableRows> tables, Path work) throws InterruptedException {
        if (!backup.verify) {
            return Verification.skipped("Restore verification was not requested for this backup");
        }
        if (!verifier.configuredFor(source.kind())) {
            return verifier.verify(backup.id, backup.backupTool, prefix, stored, source, tables, work); // skipped, with the reason
        }
        Blocking.await(() -> runs.enterPhase(backup.id, instance, "verifying"));
        long t0 = System.nanoTime();
        Verification verification = verifier.verify(backup.id, backup.backupTool, prefix, stored, source, tables, work);
        Log.infof("backup %s: verification %s in %d ms", backup.id, verification.status(), (System.nanoTime() - t0) / 1_000_000);
        return verification;
    }

    private void failed(Backup backup, String prefix, String error) {
        boolean cleared = false;
        try {
            store.deleteAll(prefix);
            cleared = true;
        } catch (RuntimeException e) {
            Log.warnf("backup %s failed and its partial objects under %s could not be removed: %s", backup.id, prefix,
                    e.getMessage());
        }
        boolean pathCleared = cleared;
        try {
            Blocking.await(() -> runs.fail(backup.id, instance, error, pathCleared));
        } catch (RuntimeException e) {
            Log.errorf("backup %s failed (%s) and could not be marked failed: %s", backup.id, error, e.getMessage());
        }
        Log.warnf("backup %s of server %s failed: %s", backup.id, backup.serverId, error);
    }

    private static List<String> databases(Backup backup) {
        return backup.databases == null ? List.of() : Arrays.asList(backup.databases.split(","));
    }

    private byte[] manifest(Backup backup, DumpResult dump, SourceSnapshot source, List<DumpResult.TableRows> tables,
            List<StoredFile> files) throws IOException {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("backup_id", backup.id);
        manifest.put("tenant", backup.tenant);
        manifest.put("server_id", backup.serverId);
        manifest.put("server_name", backup.serverName);
        manifest.put("backup_tool", backup.backupTool);
        manifest.put("source_kind", source.kind());
        manifest.put("source_version", source.version());
        manifest.put("started_at", backup.dumpStartedAt);
        manifest.put("finished_at", OffsetDateTime.now(ZoneOffset.UTC));
        manifest.put("binlog_file", dump.binlog().file());
        manifest.put("binlog_position", dump.binlog().position());
        manifest.put("gtid_set", dump.binlog().gtidSet());
        manifest.put("tables", tables);
        manifest.put("files", files);
        return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
    }

    @PreDestroy
    void stop() {
        backupThreads.shutdownNow();
        uploadThreads.shutdownNow();
    }
}
