package dev.rewind.agent.detection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The difference between two schema snapshots of one database. A snapshot is
 * {@code {"tables": [{"name": "users", "schema": "app" (optional), "columns": [{"name": "id", "type": "bigint", ...}]}]}};
 * a column counts as changed when any of its attributes differ.
 */
public record SchemaDiff(List<String> droppedTables, List<String> addedTables, List<String> droppedColumns,
        List<String> changedColumns, List<String> addedColumns) {

    public boolean isEmpty() {
        return droppedTables.isEmpty() && addedTables.isEmpty() && droppedColumns.isEmpty() && changedColumns.isEmpty()
                && addedColumns.isEmpty();
    }

    public static SchemaDiff between(JsonNode previous, JsonNode current) {
        Map<String, Map<String, JsonNode>> before = tables(previous);
        Map<String, Map<String, JsonNode>> after = tables(current);
        List<String> droppedTables = new ArrayList<>();
        List<String> addedTables = new ArrayList<>();
        List<String> droppedColumns = new ArrayList<>();
        List<String> changedColumns = new ArrayList<>();
        List<String> addedColumns = new ArrayList<>();
        before.forEach((table, columns) -> {
            Map<String, JsonNode> now = after.get(table);
            if (now == null) {
                droppedTables.add(table);
                return;
            }
            columns.forEach((column, definition) -> {
                JsonNode currentDefinition = now.get(column);
                if (currentDefinition == null) {
                    droppedColumns.add(table + "." + column);
                } else if (!currentDefinition.equals(definition)) {
                    changedColumns.add(table + "." + column);
                }
            });
            now.keySet().stream().filter(c -> !columns.containsKey(c)).forEach(c -> addedColumns.add(table + "." + c));
        });
        after.keySet().stream().filter(t -> !before.containsKey(t)).forEach(addedTables::add);
        return new SchemaDiff(droppedTables, addedTables, droppedColumns, changedColumns, addedColumns);
    }

    /** Checks a submitted snapshot's shape; a 400 naming the first bad field. */
    public static void validate(JsonNode snapshot) {
        tables(snapshot);
    }

    /** table name → column name → column definition, in the snapshot's order. */
    private static Map<String, Map<String, JsonNode>> tables(JsonNode snapshot) {
        JsonNode tables = snapshot.get("tables");
        if (tables == null || !tables.isArray()) {
            throw invalid("snapshot.tables", "must be an array of tables");
        }
        Map<String, Map<String, JsonNode>> result = new LinkedHashMap<>();
        for (int i = 0; i < tables.size(); i++) {
            JsonNode table = tables.get(i);
            String at = "snapshot.tables[" + i + "]";
            if (!table.isObject() || !table.path("name").isTextual() || table.get("name").asText().isBlank()) {
                throw invalid(at + ".name", "must be the table's name");
            }
            String name = table.path("schema").isTextual() ? table.get("schema").asText() + "." + table.get("name").asText()
                    : table.get("name").asText();
            Map<String, JsonNode> columns = new LinkedHashMap<>();
            JsonNode columnNodes = table.path("columns");
            if (!columnNodes.isMissingNode() && !columnNodes.isNull() && !columnNodes.isArray()) {
                throw invalid(at + ".columns", "must be an array of columns");
            }
            for (int c = 0; c < columnNodes.size(); c++) {
                JsonNode column = columnNodes.get(c);
                if (!column.isObject() || !column.path("name").isTextual() || column.get("name").asText().isBlank()) {
                    throw invalid(at + ".columns[" + c + "].name", "must be the column's name");
                }
                columns.put(column.get("name").asText(), column);
            }
            result.put(name, columns);
        }
        return result;
    }

    private static ProblemException invalid(String field, String message) {
        return ProblemException.invalid(field + " " + message, List.of(new Problem.FieldError(field, message)));
    }
}
