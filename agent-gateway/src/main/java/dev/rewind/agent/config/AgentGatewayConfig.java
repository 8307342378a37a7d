package dev.rewind.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the agent gateway. */
@ConfigMapping(prefix = "rewind.agents")
public interface AgentGatewayConfig {

    /** An agent with no heartbeat for this long is shown offline. */
    @WithDefault("2m")
    Duration offlineAfter();

    /** How long a registration token stays usable when the admin names no lifetime. */
    @WithDefault("24h")
    Duration registrationTokenTtl();

    /** The longest lifetime an admin may give a registration token. */
    @WithDefault("30d")
    Duration registrationTokenMaxTtl();

    /** Size anomaly detection. */
    SizeAnomaly sizeAnomaly();

    interface SizeAnomaly {

        /** How many previous completed runs of the same database make the average. */
        @WithDefault("5")
        int runs();

        /** Fewer previous runs than this and no size anomaly is raised: there is no average to trust yet. */
        @WithDefault("3")
        int minRuns();

        /** A compressed size more than this fraction below the average raises the anomaly (0.5 = 50% smaller). */
        @WithDefault("0.5")
        double dropRatio();
    }
}
