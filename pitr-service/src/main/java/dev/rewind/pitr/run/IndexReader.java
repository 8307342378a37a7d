package dev.rewind.pitr.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.pitr.binlog.BinlogPosition;
import dev.rewind.pitr.reconstruct.RowChange;
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
import java.util.Iterator;
import java.util.List;
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

    /** The binlog position of the last event indexed at or before the target; null when there is none. */
    public BinlogPosition lastPositionAt(UUID serverId, OffsetDateTime target) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select binlog_file, binlog_pos from row_event where server_id = ? and commit_time <= ? "
                        + "order by commit_time desc, seq desc limit 1")) {
            ps.setObject(1, serverId);
            ps.setObject(2, target);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new BinlogPosition(rs.getString(1), rs.getLong(2)) : null;
            }
        }
    }

    /**
     * The row changes of one table after the baseline's binlog position up to and including the target's commit
     * time, in binlog order, decoded against the table's schema at the target. Streams through a server-side cursor:
     * close it. {@code notBefore} bounds the scan of the time-ordered index (and its daily partitions): no change
     * after the baseline's position committed before it.
     */
    public Changes changes(UUID serverId, String schema, String table, BinlogPosition after, OffsetDateTime notBefore,
            OffsetDateTime target, TableSchema decodeAs) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(false); // a cursor, not the whole result in memory
            PreparedStatement ps = c.prepareStatement("select op, before_image::text, after_image::text, binlog_file, binlog_pos "
                    + "from row_event where server_id = ? and schema_name = ? and table_name = ? and commit_time >= ? "
                    + "and commit_time <= ? and seq > ? order by seq, row_index");
            ps.setFetchSize(FETCH_ROWS);
            ps.setObject(1, serverId);
            ps.setString(2, schema);
            ps.setString(3, table);
            ps.setObject(4, notBefore);
            ps.setObject(5, target);
            ps.setLong(6, after.seq());
            return new Changes(c, ps.executeQuery(), decodeAs);
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
        private Boolean hasNext;
        private long read;

        Changes(Connection connection, ResultSet rows, TableSchema schema) {
            this.connection = connection;
            this.rows = rows;
            this.schema = schema;
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
                try {
                    return switch (op) {
                        case "insert" -> RowChange.insert(ValueCodec.decodeImage(schema, image(rows.getString(3))));
                        case "update" -> RowChange.update(ValueCodec.decodeImage(schema, image(rows.getString(2))),
                                ValueCodec.decodeImage(schema, image(rows.getString(3))));
                        case "delete" -> RowChange.delete(ValueCodec.decodeImage(schema, image(rows.getString(2))));
                        default -> throw new IllegalArgumentException("unknown operation " + op);
                    };
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the " + op + " of table " + schema.name() + " at binlog "
                            + rows.getString(4) + ":" + rows.getLong(5) + " does not fit the table's schema at the target: "
                            + e.getMessage(), e);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("reading the index failed: " + e.getMessage(), e);
            }
        }

        private static JsonNode image(String json) {
            try {
                return json == null ? null : JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
}
