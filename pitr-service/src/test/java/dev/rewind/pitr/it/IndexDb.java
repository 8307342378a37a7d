package dev.rewind.pitr.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.testing.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/** The index as the service processes leave it in the run's database, read over JDBC. */
final class IndexDb {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String database;

    IndexDb(String database) {
        this.database = database;
    }

    /** Runs a statement on the stack's PostgreSQL (connected to pitr_service): create and drop a run's database. */
    static void admin(String statement) throws SQLException {
        try (Connection c = connect("pitr_service"); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + LocalStack.env("REWIND_DB_HOST") + ":" + LocalStack.env("REWIND_DB_PORT")
                + "/" + database, LocalStack.env("REWIND_DB_USER"), LocalStack.env("REWIND_DB_PASSWORD"));
    }

    private Connection connect() throws SQLException {
        return connect(database);
    }

    /** Row events of the server in the schema. */
    long count(UUID server, String schema) throws SQLException {
        return single("select count(*) from row_event where server_id = ? and schema_name = ?", server, schema);
    }

    /**
     * Waits until the server's events in the schema number at least {@code expected}, or stop growing (10 s without a
     * new one: nothing more is coming, so the caller's assertions say what is missing), at most 2 minutes.
     */
    void awaitIndexed(UUID server, String schema, long expected) throws Exception {
        long[] last = {-1, System.nanoTime()};
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = count(server, schema);
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
            }
            return now >= expected || System.nanoTime() - last[1] > Duration.ofSeconds(10).toNanos();
        });
    }

    /** Row events of the server in the schema per table and op: {@code "t insert" -> n}. */
    Map<String, Long> countsByTableAndOp(UUID server, String schema) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("select table_name || ' ' || op, count(*) from row_event "
                + "where server_id = ? and schema_name = ? group by table_name, op")) {
            ps.setObject(1, server);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** Rows of a binlog event (its position and row index) indexed more than once for the server. */
    long duplicates(UUID server) throws SQLException {
        return single("select count(*) from (select seq, row_index from row_event where server_id = ? "
                + "group by seq, row_index having count(*) > 1) d", server);
    }

    /** Distinct primary keys among the server's events of a table. */
    long distinctKeys(UUID server, String schema, String table) throws SQLException {
        return single("select count(distinct pk) from row_event where server_id = ? and schema_name = ? and table_name = ?",
                server, schema, table);
    }

    /**
     * The table as the index tells it: its events replayed in binlog order (insert and update put the after image,
     * delete removes the key). Keyed by the primary key's JSON.
     */
    Map<String, JsonNode> replay(UUID server, String schema, String table) throws Exception {
        Map<String, JsonNode> rows = new HashMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("select op, pk::text, after_image::text from row_event "
                + "where server_id = ? and schema_name = ? and table_name = ? order by seq, row_index")) {
            ps.setObject(1, server);
            ps.setString(2, schema);
            ps.setString(3, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String pk = JSON.readTree(rs.getString(2)).toString();
                    if (rs.getString(1).equals("delete")) {
                        rows.remove(pk);
                    } else {
                        JsonNode after = JSON.readTree(rs.getString(3));
                        rows.remove(pk); // an update of the key itself moves the row
                        rows.put(key(after, JSON.readTree(rs.getString(2))), after);
                    }
                }
            }
        }
        return rows;
    }

    /** The pk JSON of an image, with the columns of a known pk. */
    private static String key(JsonNode image, JsonNode pk) {
        var key = JSON.createObjectNode();
        pk.fieldNames().forEachRemaining(column -> key.set(column, image.get(column)));
        return key.toString();
    }

    /** The first few keys whose rows differ (one side missing, or other values), each with both sides. */
    static List<String> differences(Map<Long, String> replayed, Map<Long, String> table) {
        Set<Long> keys = new TreeSet<>(replayed.keySet());
        keys.addAll(table.keySet());
        return keys.stream().filter(k -> !Objects.equals(replayed.get(k), table.get(k))).limit(5)
                .map(k -> k + ": index " + replayed.get(k) + " / table " + table.get(k)).toList();
    }

    /** The instance whose stream of the server is live, as stream_status says; null when none streams it. */
    String streamingInstance(UUID server) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "select instance from stream_status where server_id = ? and state = 'streaming'")) {
            ps.setObject(1, server);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Whether the projection holds the server as decommissioned. */
    boolean decommissioned(UUID server) throws SQLException {
        return single("select count(*) from server where id = ? and decommissioned_at is not null", server) == 1;
    }

    private long single(String sql, Object... parameters) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
