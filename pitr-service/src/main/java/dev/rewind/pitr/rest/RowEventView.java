package dev.rewind.pitr.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.pitr.repository.IndexRepository;
import java.time.OffsetDateTime;

/** One indexed row change: where it is in the binlog, what it changed, and the full images before and after. */
public record RowEventView(OffsetDateTime commitTime, String gtid, String binlogFile, long binlogPosition, int rowIndex,
        String schema, String table, String op, JsonNode pk, JsonNode before, JsonNode after) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static RowEventView of(IndexRepository.EventRow r) {
        return new RowEventView(r.commitTime(), r.gtid(), r.binlogFile(), r.binlogPosition(), r.rowIndex(), r.schema(), r.table(),
                r.op(), tree(r.pk()), tree(r.before()), tree(r.after()));
    }

    private static JsonNode tree(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("an indexed image is not JSON", e);
        }
    }
}
