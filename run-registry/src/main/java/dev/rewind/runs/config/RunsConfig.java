package dev.rewind.runs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the run ledger. */
@ConfigMapping(prefix = "rewind.runs")
public interface RunsConfig {

    /**
     * How often a job is expected to succeed when no expectation was set for it
     * (PUT /v1/backup-runs/jobs/{job_name}/expectation). The summary calls a job stale when its last success
     * is older than this. The default fits daily jobs, with an hour of slack.
     */
    @WithDefault("PT25H")
    Duration defaultExpectedInterval();

    /** The summary's success-rate window when the request names none (window_days). */
    @WithDefault("7")
    int defaultWindowDays();

    /**
     * How long a live API token's credential may be served from memory (0 switches the cache off). Revocations
     * reach every replica at once through PostgreSQL NOTIFY; this bounds only a listener connection that died
     * unnoticed.
     */
    @WithDefault("PT30S")
    Duration apiTokenCacheTtl();
}
