package dev.rewind.commons.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the outbox relay. */
@ConfigMapping(prefix = "rewind.outbox")
public interface OutboxConfig {

    /** How often the relay looks for unpublished events. */
    @WithDefault("250ms")
    Duration pollInterval();

    /** The most events one relay round publishes. */
    @WithDefault("200")
    int batchSize();

    /** How long Kafka may take to acknowledge a record before the round gives up and retries later. */
    @WithDefault("15s")
    Duration deliveryTimeout();
}
