package dev.rewind.agent.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rewind.agent.Anomaly;
import dev.rewind.agent.messaging.AnomalyEvents;
import dev.rewind.agent.rest.AgentMessages.AnomalyRequest;
import dev.rewind.agent.security.CallerAgent;
import dev.rewind.commons.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/** Records anomalies, whether an agent reports them or detection here finds them, and publishes anomaly.detected. */
@ApplicationScoped
public class AnomalyService {

    public static final String SCHEMA_DRIFT = "schema_drift";
    public static final String SIZE_ANOMALY = "size_anomaly";
    public static final String RESTORE_FAILURE = "restore_failure";

    /** An anomaly about to be recorded. */
    public record Finding(String tenant, UUID agentId, UUID databaseId, String databaseName, UUID jobId, String kind,
            String severity, String title, String description, Map<String, Object> details) {
    }

    private final Outbox outbox;
    private final ObjectMapper json;

    public AnomalyService(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    /** An anomaly the agent itself detected. */
    @WithTransaction
    public Uni<Anomaly> report(CallerAgent agent, AnomalyRequest request) {
        return record(new Finding(agent.tenant(), agent.id(), null, null, null, request.type(), request.severity(),
                request.title(), request.description(), Map.of()), "agent");
    }

    /** Records an anomaly found here, inside the caller's transaction. */
    public Uni<Anomaly> raise(Finding finding) {
        return record(finding, "server");
    }

    private Uni<Anomaly> record(Finding finding, String reportedBy) {
        ObjectNode details = json.valueToTree(finding.details());
        Anomaly anomaly = new Anomaly();
        anomaly.id = UUID.randomUUID();
        anomaly.tenant = finding.tenant();
        anomaly.agentId = finding.agentId();
        anomaly.databaseId = finding.databaseId();
        anomaly.jobId = finding.jobId();
        anomaly.kind = finding.kind();
        anomaly.severity = finding.severity();
        anomaly.title = finding.title();
        anomaly.description = finding.description();
        anomaly.details = details.toString();
        anomaly.reportedBy = reportedBy;
        anomaly.detectedAt = OffsetDateTime.now(ZoneOffset.UTC);
        ObjectNode eventDetails = details.deepCopy();
        if (finding.description() != null) {
            eventDetails.put("description", finding.description());
        }
        eventDetails.put("reported_by", reportedBy);
        return anomaly.<Anomaly>persist()
                .call(saved -> outbox.publish(AnomalyEvents.detected(saved, finding.databaseName(), eventDetails)));
    }
}
