package dev.rewind.pitr.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.pitr.binlog.BinlogPosition;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.rewind.pitr.binlog.SchemaSnapshot;
import dev.rewind.pitr.reconstruct.RowChange;
import dev.rewind.pitr.reconstruct.SchemaEvolution;
import dev.rewind.pitr.reconstruct.SqlValue;
import dev.rewind.pitr.reconstruct.TableSchema;
import dev.rewind.pitr.reconstruct.ValueCodec;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;

/** What PITR runs read from the row-event index, over JDBC on the run's own thread. */
@ApplicationScoped
public class IndexReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FETCH_ROWS = 5000;

    private final AgroalDataSource dataSource;

    public IndexReader(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Whether an event committed after {@code target} is indexed: then every event up to the target is too. */
    public boolean indexedPast(UUID serverId, OffsetDateTime target) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select exists (select 1 from row_event where server_id = ? and commit_time > ?) "
                        + "or exists (select 1 from stream_checkpoint where server_id = ? and last_commit_time > ?)")) {
            ps.setObject(1, serverId);
            ps.setObject(2, target);
            ps.setObject(3, serverId);
            ps.setObject(4, target);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** A recorded stretch of binlog that was never indexed. */
    public record Gap(String kind, OffsetDateTime start, OffsetDateTime end, String message) {

        @Override
        public String toString() {
            return kind + " from " + start + " to " + end + " (" + message + ")";
        }
    }

    /** The gaps overlapping (from, to]. */
    public List<Gap> gaps(UUID serverId, OffsetDateTime from, OffsetDateTime to) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select kind, gap_start, gap_end, message from binlog_gap where server_id = ? and gap_end > ? and gap_start <= ? "
                        + "order by gap_start")) {
            ps.setObject(1, serverId);
            ps.setObject(2, from);
            ps.setObject(3, to);
            List<Gap> gaps = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gaps.add(new Gap(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getObject(3, OffsetDateTime.class),
                            rs.getString(4)));
                }
            }
            return gaps;
        }
    }

    /**
     * The binlog position of the last event indexed at or before the target, and at or before binlog place
     * {@code lastSeq} (a GTID or position target; {@link Long#MAX_VALUE} for a time); null when there is none.
     */
    public BinlogPosition lastPositionAt(UUID serverId, OffsetDateTime target, long lastSeq) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select binlog_file, binlog_pos from row_event where server_id = ? and commit_time <= ? and seq <= ? "
                        + "order by commit_time desc, seq desc limit 1")) {
            ps.setObject(1, serverId);
            ps.setObject(2, target);
            ps.setLong(3, lastSeq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new BinlogPosition(rs.getString(1), rs.getLong(2)) : null;
            }
        }
    }

    /**
     * Where an output stands in the source's binlog, for its {@code metadata}: the position to continue from and the
     * GTID set; {@code gtidSet} is null when it is not known, and {@code whyNoGtid} then says why.
     */
    public record OutputPlace(BinlogPosition position, String gtidSet, String whyNoGtid) {
    }

    /**
     * The place of an output made from a baseline (at binlog place {@code baselineSeq}, with the GTID set its dump
     * recorded) up to the target: the end of the last transaction committed by {@code target} at or before
     * {@code lastSeq}, and the baseline's GTID set with every GTID after it up to there.
     */
    public OutputPlace outputPlace(UUID serverId, BinlogPosition baseline, String baselineGtid, OffsetDateTime target,
            long lastSeq) throws SQLException {
        long baselineSeq = baseline.seq();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // a cursor: a day of transactions is not read into memory at once
            try {
                Long since = null;
                try (PreparedStatement ps = c.prepareStatement(
                        "select transactions_since_seq from stream_checkpoint where server_id = ?")) {
                    ps.setObject(1, serverId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            long v = rs.getLong(1);
                            since = rs.wasNull() ? null : v;
                        }
                    }
                }
                BinlogPosition position = null;
                try (PreparedStatement ps = c.prepareStatement("select binlog_file, end_pos, end_seq from binlog_transaction "
                        + "where server_id = ? and commit_time <= ? and end_seq <= ? order by end_seq desc limit 1")) {
                    ps.setObject(1, serverId);
                    ps.setObject(2, target);
                    ps.setLong(3, lastSeq);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getLong(3) > baselineSeq) {
                            position = new BinlogPosition(rs.getString(1), rs.getLong(2));
                        }
                    }
                }
                boolean complete = since != null && since <= baselineSeq;
                if (position == null) {
                    // nothing recorded after the baseline: the baseline's own place, unless the record is incomplete
                    BinlogPosition event = complete ? null : lastPositionAt(serverId, target, lastSeq);
                    position = event != null && event.seq() > baselineSeq ? event : baseline;
                }
                if (baselineGtid == null || baselineGtid.isBlank()) {
                    return new OutputPlace(position, null, "the baseline's dump recorded no GTID set");
                }
                if (!complete) {
                    return new OutputPlace(position, null, "the index holds the GTIDs of this server's transactions only "
                            + "from after the baseline");
                }
                boolean mariadb = !baselineGtid.contains(":");
                com.github.shyiko.mysql.binlog.MariadbGtidSet maria = mariadb
                        ? new com.github.shyiko.mysql.binlog.MariadbGtidSet(baselineGtid.replace("\n", "").trim()) : null;
                com.github.shyiko.mysql.binlog.GtidSet mysql = mariadb ? null
                        : new com.github.shyiko.mysql.binlog.GtidSet(baselineGtid.replace("\n", "").trim());
                try (PreparedStatement ps = c.prepareStatement("select gtid from binlog_transaction where server_id = ? "
                        + "and end_seq > ? and end_seq <= ? and commit_time <= ? and gtid is not null order by end_seq")) {
                    ps.setFetchSize(10_000);
                    ps.setObject(1, serverId);
                    ps.setLong(2, baselineSeq);
                    ps.setLong(3, lastSeq);
                    ps.setObject(4, target);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (mariadb) {
                                maria.add(rs.getString(1));
                            } else {
                                mysql.add(rs.getString(1));
                            }
                        }
                    }
                }
                return new OutputPlace(position, mariadb ? maria.toString() : mysql.toString(), null);
            } finally {
                c.rollback();
            }
        }
    }

    /** A DDL statement of the stream, where it is in the binlog, and the schema snapshot version taken after it. */
    public record DdlRecord(long seq, OffsetDateTime commitTime, OffsetDateTime ranAt, String database, String statement,
            int snapshotVersion) {
    }

    /** The DDL statements after binlog place {@code afterSeq} committed up to the target, in binlog order. */
    public List<DdlRecord> ddl(UUID serverId, long afterSeq, OffsetDateTime target) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select seq, commit_time, ran_at, database_name, statement, snapshot_version from ddl_event "
                        + "where server_id = ? and seq > ? and commit_time <= ? order by seq")) {
            ps.setObject(1, serverId);
            ps.setLong(2, afterSeq);
            ps.setObject(3, target);
            List<DdlRecord> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new DdlRecord(rs.getLong(1), rs.getObject(2, OffsetDateTime.class),
                            rs.getObject(3, OffsetDateTime.class), rs.getString(4), rs.getString(5), rs.getInt(6)));
                }
            }
            return found;
        }
    }

    /** The tables of one schema snapshot version, by {@code schema.table}. */
    public Map<String, SchemaSnapshot.Table> snapshot(UUID serverId, int version) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select tables::text from schema_snapshot where server_id = ? and version = ?")) {
            ps.setObject(1, serverId);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Map.of();
                }
                List<SchemaSnapshot.Table> tables = JSON.readValue(rs.getString(1), new TypeReference<List<SchemaSnapshot.Table>>() {
                });
                Map<String, SchemaSnapshot.Table> byName = new HashMap<>();
                for (SchemaSnapshot.Table t : tables) {
                    byName.put(t.schema() + "." + t.name(), t);
                }
                return byName;
            } catch (IOException e) {
                throw new SQLException("schema snapshot " + version + " is not readable: " + e.getMessage(), e);
            }
        }
    }

    /** Where a table's changes are in the index: under one name, between two binlog places. */
    public record Segment(String schema, String table, long afterSeq, long upToSeq) {
    }

    /**
     * The row changes of one table after the baseline's binlog position up to and including the target's commit
     * time, in binlog order, each decoded against the table's shape when it was made and carried to the target's.
     * Streams through a server-side cursor: close it. {@code notBefore} bounds the scan of the time-ordered index (and
     * its daily partitions): no change after the baseline's position committed before it.
     *
     * @param segments the table's names over time (a RENAME TABLE starts a new one)
     */
    public Changes changes(UUID serverId, List<Segment> segments, OffsetDateTime notBefore, OffsetDateTime target,
            SchemaEvolution evolution, TableSchema decodeAs) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(false); // a cursor, not the whole result in memory
            StringBuilder where = new StringBuilder();
            for (int i = 0; i < segments.size(); i++) {
                where.append(i == 0 ? "" : " or ").append("(schema_name = ? and table_name = ? and seq > ? and seq <= ?)");
            }
            PreparedStatement ps = c.prepareStatement("select op, before_image::text, after_image::text, binlog_file, binlog_pos, "
                    + "seq from row_event where server_id = ? and commit_time >= ? and commit_time <= ? and (" + where + ") "
                    + "order by seq, row_index");
            ps.setFetchSize(FETCH_ROWS);
            ps.setObject(1, serverId);
            ps.setObject(2, notBefore);
            ps.setObject(3, target);
            int n = 4;
            for (Segment s : segments) {
                ps.setString(n++, s.schema());
                ps.setString(n++, s.table());
                ps.setLong(n++, s.afterSeq());
                ps.setLong(n++, s.upToSeq());
            }
            return new Changes(c, ps.executeQuery(), decodeAs, evolution);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The changes of one table, one {@link RowChange} per indexed row event. */
    public static final class Changes implements Iterator<RowChange>, AutoCloseable {
        private final Connection connection;
        private final ResultSet rows;
        private final TableSchema schema;
        private final SchemaEvolution evolution;
        private Boolean hasNext;
        private long read;

        Changes(Connection connection, ResultSet rows, TableSchema schema, SchemaEvolution evolution) {
            this.connection = connection;
            this.rows = rows;
            this.schema = schema;
            this.evolution = evolution;
        }

        public long read() {
            return read;
        }

        @Override
        public boolean hasNext() {
            if (hasNext == null) {
                try {
                    hasNext = rows.next();
                } catch (SQLException e) {
                    throw new IllegalStateException("reading the index failed: " + e.getMessage(), e);
                }
            }
            return hasNext;
        }

        @Override
        public RowChange next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            hasNext = null;
            read++;
            try {
                String op = rows.getString(1);
                long seq = rows.getLong(6);
                try {
                    return (switch (op) {
                        case "insert" -> RowChange.insert(decode(image(rows.getString(3)), seq));
                        case "update" -> RowChange.update(decode(image(rows.getString(2)), seq), decode(image(rows.getString(3)), seq));
                        case "delete" -> RowChange.delete(decode(image(rows.getString(2)), seq));
                        default -> throw new IllegalArgumentException("unknown operation " + op);
                    }).at(seq);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the " + op + " of table " + schema.name() + " at binlog "
                            + rows.getString(4) + ":" + rows.getLong(5) + " does not fit the table's schema "
                            + (evolution.isNone() ? "at the target" : "when it was made") + ": " + e.getMessage(), e);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("reading the index failed: " + e.getMessage(), e);
            }
        }

        /** An image made at {@code seq}, in the target's columns. */
        private Map<String, SqlValue> decode(JsonNode image, long seq) {
            if (evolution.isNone()) {
                return ValueCodec.decodeImage(schema, image);
            }
            TableSchema then = evolution.schemaAt(seq);
            Map<String, SqlValue> values = ValueCodec.decodeImage(then, image);
            SqlValue[] row = new SqlValue[then.columnCount()];
            for (Map.Entry<String, SqlValue> e : values.entrySet()) {
                row[then.indexOf(e.getKey())] = e.getValue();
            }
            for (int i = 0; i < row.length; i++) {
                if (then.columns().get(i).generated()) {
                    row[i] = SqlValue.NULL; // the server computes it (MariaDB leaves virtual columns out of images)
                } else if (row[i] == null) {
                    throw new IllegalArgumentException("its image lacks column " + then.columns().get(i).name());
                }
            }
            SqlValue[] now = evolution.forward(row, seq);
            Map<String, SqlValue> out = new LinkedHashMap<>();
            for (int i = 0; i < now.length; i++) {
                out.put(schema.columns().get(i).name(), now[i]);
            }
            return out;
        }

        @Override
        public void close() throws SQLException {
            try {
                connection.rollback();
            } finally {
                connection.close();
            }
        }
    }

    private static JsonNode image(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
