package dev.rewind.pitr.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of pitr-service's streaming and index. */
@ConfigMapping(prefix = "rewind.pitr")
public interface PitrConfig {

    /** This instance's name in onboarding events and stream status; the host name when not set. */
    Optional<String> instance();

    Ownership ownership();

    Stream stream();

    Onboarding onboarding();

    Retention retention();

    Runs runs();

    S3 s3();

    /** Which servers this instance streams: the partitions of rewind.servers it holds in one consumer group. */
    interface Ownership {

        /** The topic of server events. */
        @WithDefault("rewind.servers")
        String topic();

        /** The consumer group shared by every replica. */
        @WithDefault("pitr-service")
        String group();

        /** Where a new group starts: earliest rebuilds the server projection from the compacted topic. */
        @WithDefault("earliest")
        String autoOffsetReset();

        /** Whether ownership (and so streaming) runs at all; off for tools that only read the index. */
        @WithDefault("true")
        boolean enabled();
    }

    /** The binlog streamers. */
    interface Stream {

        /** Replica server ids are drawn from [base, base + 2^30): distinct per stream, never the sources' own ids. */
        @WithDefault("1000000000")
        long replicaServerIdBase();

        /** Transactions queued between the reader and the writer. */
        @WithDefault("2000")
        int queueCapacity();

        /** The most rows one index write takes. */
        @WithDefault("5000")
        int batchRows();

        /**
         * A transaction still being read is handed to the writer in chunks of this many rows (or {@link #chunkSize()}),
         * so memory does not grow with a transaction; its rows become visible together, at its commit.
         */
        @WithDefault("5000")
        int chunkRows();

        /** … or of this many bytes of decoded rows. */
        @WithDefault("8M")
        MemorySize chunkSize();

        /** What one stream's read-but-unwritten rows may hold; a reader ahead of its writer waits. */
        @WithDefault("32M")
        MemorySize budget();

        /** What the read-but-unwritten rows of all streams of this instance may hold together. */
        @WithDefault("64M")
        MemorySize sharedBudget();

        /**
         * How long an onboarded stream may be out of "streaming" (failed, reconnecting) before readiness reports the
         * instance down, naming the server.
         */
        @WithDefault("15s")
        Duration readinessGrace();

        /** The heartbeat period asked of the source. */
        @WithDefault("5s")
        Duration heartbeat();

        /** No event nor heartbeat for this long ends the stream (and it is restarted). */
        @WithDefault("30s")
        Duration silenceLimit();

        /** First delay before restarting a failed stream; doubles up to {@link #maxRetryDelay()}. */
        @WithDefault("1s")
        Duration retryDelay();

        @WithDefault("60s")
        Duration maxRetryDelay();
    }

    /** Onboarding of newly owned servers. */
    interface Onboarding {

        /** First delay before retrying a failed step; doubles up to {@link #maxRetryDelay()}. */
        @WithDefault("2s")
        Duration retryDelay();

        @WithDefault("60s")
        Duration maxRetryDelay();
    }

    /** Retention of the row-event index. */
    interface Retention {

        /** Events older than this go (whole days), never those newer than the oldest baseline PITR relies on. */
        @WithDefault("30")
        int days();
    }

    /** Point-in-time recovery runs. */
    interface Runs {

        /** Where runs write their dump before uploading it; one folder per run, removed afterwards. */
        @WithDefault("${java.io.tmpdir}/rewind-pitr")
        Path workDir();

        /** Runs executed at once by this instance; more are refused with 409 only per server, so they queue here. */
        @WithDefault("2")
        int maxConcurrent();

        /** Running runs one tenant may have at once, over all its servers; one more is a 429 with Retry-After. */
        @WithDefault("4")
        int maxRunningPerTenant();

        /** How often the runs of this instance get their heartbeat and runs of lost instances are looked for. */
        @WithDefault("10s")
        Duration checkInterval();

        /** A running run whose heartbeat is older than this lost its instance: it is marked failed and cleaned up. */
        @WithDefault("60s")
        Duration staleAfter();

        /** How long preparing waits for the index to pass the target (a target just before now) before going on. */
        @WithDefault("30s")
        Duration catchUpWait();

        /** Tables reconstructed at once within a run. */
        @WithDefault("2")
        int tableThreads();

        /**
         * What the changes of one table may hold in memory while it is rebuilt (per table thread); a table with more
         * changes is merged in partitions on disk under the run's folder.
         */
        @WithDefault("32M")
        MemorySize mergeMemory();

        /** Whether output data files are gzip-compressed (myloader reads both). */
        @WithDefault("true")
        boolean gzip();
    }

    /** The bucket holding backups (read as baselines) and PITR output. */
    interface S3 {

        String endpoint();

        @WithDefault("us-east-1")
        String region();

        String bucket();

        String accessKey();

        String secretKey();
    }
}
