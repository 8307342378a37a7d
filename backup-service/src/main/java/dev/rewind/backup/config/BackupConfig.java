package dev.rewind.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of backup-service (prefix {@code rewind.backup}). Secrets come from the environment only. */
@ConfigMapping(prefix = "rewind.backup")
public interface BackupConfig {

    /** Rate limit of POST /backup per user (the token's subject). */
    RateLimit rateLimit();

    /** Running backups. */
    Worker worker();

    /** The dump tool. */
    Dumper dumper();

    /** Where artifacts go. */
    S3 s3();

    /** Retention. */
    Retention retention();

    /** The schedule trigger. */
    Schedules schedules();

    /** Restore verification: where each kind of source is restored for checking. */
    Verify verify();

    interface Verify {
        /** The verification server for dumps of MariaDB sources. */
        Target mariadb();

        /** The verification server for dumps of MySQL sources (a MySQL 8 dump does not load into MariaDB). */
        Target mysql();

        /** The myloader executable. */
        @WithDefault("myloader")
        String myloader();

        /** The mysql/mariadb client, which restores mysqldump backups. */
        @WithDefault("mariadb")
        String client();

        /** myloader threads. */
        @WithDefault("2")
        int threads();

        /** The longest a whole verification (download, restore, checks) may take before it is stopped. */
        @WithDefault("2h")
        Duration timeout();

        /**
         * Whether a verification server may be one that writes a binlog or runs events (a source itself, as in the
         * local stack). Off by default: tenants' restores would reach its binlog, and so its replicas and streams.
         */
        @WithDefault("false")
        boolean allowSourceServers();

        /** A verification server; not configured when {@code url} is absent. */
        interface Target {
            /** {@code mariadb://host:port} or {@code mysql://host:port} (also plain {@code host:port}). */
            Optional<String> url();

            Optional<String> user();

            /** From the environment only. */
            Optional<String> password();

            /** How connections to it are secured: {@code disabled}, {@code required}, {@code verify_ca}, {@code verify_identity}. */
            @WithDefault("disabled")
            String tlsMode();

            /** The CA certificates (a PEM file) that verify_ca / verify_identity trust; absent: the system's. */
            Optional<String> tlsCaFile();
        }
    }

    interface Schedules {
        /** How often each instance looks for due schedules. */
        @WithDefault("5s")
        Duration pollInterval();

        /** Due schedules one trigger round claims at most. */
        @WithDefault("50")
        int batchSize();

        /**
         * Backups one tenant's enabled schedules may start in any one hour, together (each counted at its peak hour):
         * a schedule that would go over is refused with 422, so a tenant cannot have us run backups without pause.
         */
        @WithDefault("240")
        int maxPerTenantPerHour();
    }

    interface RateLimit {
        /** On-demand backups one user may request per window. */
        @WithDefault("10")
        int maxRequests();

        /** The sliding window of the limit. */
        @WithDefault("1h")
        Duration window();
    }

    interface Worker {
        /** Backups one instance runs at the same time (each on its own server). */
        @WithDefault("2")
        int maxConcurrent();

        /**
         * Backups of one tenant running at once over all instances (claims leave a tenant's further queued backups
         * for later, so other tenants' go first); each instance checks before claiming, so instances claiming at the
         * same moment may pass it by one each.
         */
        @WithDefault("4")
        int maxPerTenant();

        /** How often an instance looks for queued backups. */
        @WithDefault("2s")
        Duration pollInterval();

        /** How often a running backup's heartbeat is written. */
        @WithDefault("10s")
        Duration heartbeatInterval();

        /** A backup in a running phase whose heartbeat is older than this was orphaned by a crash. */
        @WithDefault("1m")
        Duration staleAfter();

        /** How often each instance looks for backups orphaned by a crashed instance. */
        @WithDefault("30s")
        Duration recoveryInterval();

        /** Scratch space for dumps; each backup gets its own folder, removed afterwards. */
        @WithDefault("${java.io.tmpdir}/rewind-backups")
        Path workDir();

        /** An identifier of this instance in the entries it claims; random when not set. */
        Optional<String> instanceId();
    }

    interface Dumper {
        /** The mydumper executable. */
        @WithDefault("mydumper")
        String mydumper();

        /** The mysqldump executable ({@code backup_tool: mysqldump}; Debian's is mariadb-dump 10.11). */
        @WithDefault("mysqldump")
        String mysqldump();

        /** gzip level of the uploaded files (1 fastest … 9 smallest; 6 is gzip's and mydumper -c's default). */
        @WithDefault("6")
        int gzipLevel();

        /** mydumper threads ({@code -t}). */
        @WithDefault("2")
        int threads();

        /** The longest a dump may take before it is killed and the backup fails. */
        @WithDefault("6h")
        Duration timeout();

        /** How much of the tool's output is kept in the entry's error on failure. */
        @WithDefault("2000")
        int errorChars();
    }

    interface S3 {
        String endpoint();

        String region();

        String bucket();

        String accessKey();

        String secretKey();

        /** Files larger than this go up in multipart parts of this size. */
        @WithDefault("16777216")
        int partSize();

        /** Files uploaded in parallel. */
        @WithDefault("4")
        int uploadThreads();
    }

    interface Retention {
        /** Days an on-demand backup is kept. */
        @WithDefault("30")
        int onDemandDays();

        /** How often retention runs. */
        @WithDefault("1h")
        Duration interval();

        /**
         * Days of row-event index pitr-service keeps ({@code rewind.pitr.retention.days}): its coverage reports that far
         * back, so the newest baseline at or before that moment is kept, whatever the backup's own retention.
         */
        @WithDefault("30")
        int pitrWindowDays();
    }
}
