package dev.rewind.agent.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rewind.agent.Anomaly;
import dev.rewind.commons.outbox.OutgoingEvent;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The events of rewind.anomalies this service produces, keyed by agent id (deploy/events/README.md). */
public final class AnomalyEvents {

    public static final String TOPIC = "rewind.anomalies";
    public static final String DETECTED = "anomaly.detected";

    /** Payload of anomaly.detected; {@code serverId} is always null here (agents know databases, not servers). */
    public record AnomalyDetected(UUID anomalyId, String tenant, String kind, String severity, UUID agentId, UUID serverId,
            String database, UUID jobId, String message, JsonNode details, OffsetDateTime detectedAt) {
    }

    private AnomalyEvents() {
    }

    public static OutgoingEvent detected(Anomaly anomaly, String databaseName, JsonNode details) {
        return new OutgoingEvent(TOPIC, anomaly.agentId.toString(), DETECTED, anomaly.id.toString(), anomaly.tenant,
                new AnomalyDetected(anomaly.id, anomaly.tenant, anomaly.kind, anomaly.severity, anomaly.agentId, null,
                        databaseName, anomaly.jobId, anomaly.title, details, anomaly.detectedAt));
    }
}
