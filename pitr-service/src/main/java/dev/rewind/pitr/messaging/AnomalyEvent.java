package dev.rewind.pitr.messaging;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** The payload of anomaly.detected (deploy/events/README.md); pitr-service reports binlog gaps and dead streams. */
public record AnomalyEvent(UUID anomalyId, String tenant, String kind, String severity, String agentId, UUID serverId,
        String database, String jobId, String message, Map<String, Object> details, OffsetDateTime detectedAt) {

    public static final String TYPE = "anomaly.detected";

    /** A live binlog stream died (it is restarted from its checkpoint). */
    public static final String STREAM_FAILURE = "stream_failure";
}
