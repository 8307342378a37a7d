package dev.rewind.backup.service;

import dev.rewind.backup.Backup;
import dev.rewind.backup.KnownServer;
import dev.rewind.backup.config.BackupConfig;
import dev.rewind.backup.repository.BackupRepository;
import dev.rewind.commons.audit.Audit;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * On-demand backups: checks the server and the caller's rate limit, then queues the backup. The replica holding the
 * server's partition of rewind.servers picks it up ({@link BackupRunService#claimNext}); until then its phase is
 * {@code queued}.
 */
@ApplicationScoped
public class BackupRequestService {

    private final BackupRepository backups;
    private final ServerProjection servers;
    private final Audit audit;
    private final BackupConfig config;

    public BackupRequestService(BackupRepository backups, ServerProjection servers, Audit audit, BackupConfig config) {
        this.backups = backups;
        this.servers = servers;
        this.audit = audit;
        this.config = config;
    }

    @WithTransaction
    public Uni<Backup> request(String tenant, String subject, UUID serverId, List<String> databases, String backupTool,
            boolean verify) {
        return servers.liveServerOf(tenant, serverId)
                .call(() -> checkRateLimit(subject))
                .chain(server -> queue(server, subject, databases, backupTool, verify))
                .call(backup -> audit.record(tenant, subject, "backup.requested", "backup", backup.id.toString(),
                        details(backup)));
    }

    /** Sliding window per user, serialised per user with an advisory lock so parallel requests cannot both slip through. */
    private Uni<Void> checkRateLimit(String subject) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        BackupConfig.RateLimit limit = config.rateLimit();
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("select pg_advisory_xact_lock(hashtext(:subject))")
                        .setParameter("subject", "backup-rate:" + subject).getSingleResult())
                .chain(() -> backups.requestedSince(subject, now.minus(limit.window())))
                .invoke(recent -> {
                    if (recent.size() >= limit.maxRequests()) {
                        OffsetDateTime freed = recent.get(recent.size() - limit.maxRequests()).startedAt.plus(limit.window());
                        Duration wait = Duration.between(now, freed);
                        long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
                        throw ProblemException.tooManyRequests("At most %d on-demand backups per %s per user; try again in %d s"
                                .formatted(limit.maxRequests(), limit.window().toString().substring(2).toLowerCase(), seconds),
                                Duration.ofSeconds(seconds));
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Backup> queue(KnownServer server, String subject, List<String> databases, String backupTool,
            boolean verify) {
        Backup backup = new Backup();
        backup.id = UUID.randomUUID();
        backup.tenant = server.tenant;
        backup.serverId = server.id;
        backup.serverName = server.name;
        backup.backupTool = backupTool == null ? "mydumper" : backupTool;
        backup.verify = verify;
        backup.status = "running";
        backup.phase = "queued";
        backup.requestedBy = subject;
        backup.databases = databases == null || databases.isEmpty() ? null : String.join(",", databases);
        backup.retentionDays = config.retention().onDemandDays();
        backup.startedAt = OffsetDateTime.now(ZoneOffset.UTC);
        return backups.persist(backup);
    }

    static Map<String, Object> details(Backup backup) {
        Map<String, Object> details = new HashMap<>();
        details.put("server_id", backup.serverId.toString());
        details.put("backup_tool", backup.backupTool);
        if (backup.scheduleId != null) {
            details.put("schedule_id", backup.scheduleId.toString());
        }
        if (backup.s3Path != null) {
            details.put("s3_path", backup.s3Path);
        }
        return details;
    }
}
