package dev.rewind.pitr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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
}
