package dev.rewind.agent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.agent.AgentDatabase;
import dev.rewind.agent.SchemaSnapshot;
import dev.rewind.agent.detection.SchemaDiff;
import dev.rewind.agent.repository.AgentDatabaseRepository;
import dev.rewind.agent.repository.SchemaSnapshotRepository;
import dev.rewind.agent.rest.AgentMessages.SchemaSnapshotRequest;
import dev.rewind.agent.security.CallerAgent;
import dev.rewind.commons.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Schema snapshots and drift detection: each snapshot is compared with the database's previous one. A dropped
 * table is a critical schema_drift, a dropped or changed column a warning, an added table or column info.
 */
@ApplicationScoped
public class SnapshotService {

    private final AgentDatabaseRepository databases;
    private final SchemaSnapshotRepository snapshots;
    private final AnomalyService anomalies;
    private final ObjectMapper json;

    public SnapshotService(AgentDatabaseRepository databases, SchemaSnapshotRepository snapshots, AnomalyService anomalies,
            ObjectMapper json) {
        this.databases = databases;
        this.snapshots = snapshots;
        this.anomalies = anomalies;
        this.json = json;
    }

    @WithTransaction
    public Uni<SchemaSnapshot> submit(CallerAgent agent, SchemaSnapshotRequest request) {
        SchemaDiff.validate(request.snapshot());
        return databases.lockForAgent(agent.id(), request.databaseId())
                .onItem().ifNull().failWith(() -> ProblemException.unprocessable(
                        "No database " + request.databaseId() + " among this agent's discovered databases"))
                .chain(db -> snapshots.latest(db.id).chain(previous -> {
                    SchemaSnapshot snapshot = new SchemaSnapshot();
                    snapshot.id = UUID.randomUUID();
                    snapshot.tenant = agent.tenant();
                    snapshot.agentId = agent.id();
                    snapshot.databaseId = db.id;
                    snapshot.snapshot = request.snapshot().toString();
                    snapshot.tableCount = request.tableCount();
                    snapshot.columnCount = request.columnCount();
                    snapshot.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return snapshot.<SchemaSnapshot>persist()
                            .call(saved -> previous == null ? Uni.createFrom().voidItem()
                                    : raiseDrift(db, saved, SchemaDiff.between(read(previous.snapshot), request.snapshot())));
                }));
    }

    private Uni<Void> raiseDrift(AgentDatabase db, SchemaSnapshot snapshot, SchemaDiff diff) {
        if (diff.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<AnomalyService.Finding> findings = new ArrayList<>();
        if (!diff.droppedTables().isEmpty()) {
            findings.add(finding(db, snapshot, "critical",
                    "Schema drift on " + db.databaseName + ": " + count(diff.droppedTables().size(), "table") + " dropped",
                    describe(Map.of("Dropped tables", diff.droppedTables())),
                    Map.of("dropped_tables", diff.droppedTables())));
        }
        if (!diff.droppedColumns().isEmpty() || !diff.changedColumns().isEmpty()) {
            findings.add(finding(db, snapshot, "warning",
                    "Schema drift on " + db.databaseName + ": "
                            + count(diff.droppedColumns().size() + diff.changedColumns().size(), "column") + " dropped or changed",
                    describe(Map.of("Dropped", diff.droppedColumns(), "Changed", diff.changedColumns())),
                    Map.of("dropped_columns", diff.droppedColumns(), "changed_columns", diff.changedColumns())));
        }
        if (!diff.addedTables().isEmpty() || !diff.addedColumns().isEmpty()) {
            findings.add(finding(db, snapshot, "info",
                    "Schema drift on " + db.databaseName + ": "
                            + count(diff.addedTables().size() + diff.addedColumns().size(), "table or column", "tables or columns") + " added",
                    describe(Map.of("Added tables", diff.addedTables(), "Added columns", diff.addedColumns())),
                    Map.of("added_tables", diff.addedTables(), "added_columns", diff.addedColumns())));
        }
        return Multi.createFrom().iterable(findings)
                .onItem().transformToUniAndConcatenate(anomalies::raise)
                .collect().last()
                .replaceWithVoid();
    }

    private static AnomalyService.Finding finding(AgentDatabase db, SchemaSnapshot snapshot, String severity, String title,
            String description, Map<String, Object> facts) {
        Map<String, Object> details = new LinkedHashMap<>(facts);
        details.put("snapshot_id", snapshot.id.toString());
        return new AnomalyService.Finding(snapshot.tenant, snapshot.agentId, db.id, db.databaseName, null,
                AnomalyService.SCHEMA_DRIFT, severity, title, description, details);
    }

    private static String count(int n, String noun) {
        return count(n, noun, noun + "s");
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String describe(Map<String, List<String>> groups) {
        StringBuilder text = new StringBuilder();
        groups.entrySet().stream().sorted(Map.Entry.comparingByKey()).filter(e -> !e.getValue().isEmpty()).forEach(e -> {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(e.getKey()).append(": ").append(String.join(", ", e.getValue()));
        });
        String result = text.toString();
        return result.length() > 4000 ? result.substring(0, 3997) + "..." : result;
    }

    private JsonNode read(String stored) {
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored snapshot is unreadable", e);
        }
    }
}
