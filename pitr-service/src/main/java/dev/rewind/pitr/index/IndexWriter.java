package dev.rewind.pitr.index;

import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.MariadbGtidSet;
import dev.rewind.pitr.binlog.BinlogPosition;
import dev.rewind.pitr.binlog.IndexSink;
import dev.rewind.pitr.binlog.RowChange;
import dev.rewind.pitr.binlog.SchemaSnapshot;
import dev.rewind.pitr.binlog.SourceTransaction;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Writes one server's transactions into the index: rows by COPY, the per-day counts, new schema snapshots and the
 * checkpoint, all in one PostgreSQL transaction. The checkpoint row is locked first and transactions at or before it
 * are skipped, so a batch read twice (a restart, a second replica) is written once.
 *
 * <p>The chunks of a large transaction are parked in {@code row_event_pending}, tagged with this writer's stream id,
 * and moved into {@code row_event} (with their commit time, in its partition) in the transaction that writes the
 * transaction's completion and the checkpoint: readers only ever see whole transactions. Rows go to PostgreSQL as
 * they are encoded, so a write holds no more than the batch it was given.
 */
public final class IndexWriter implements IndexSink {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "seq, row_index, binlog_file, binlog_pos, gtid, schema_name, table_name, op, pk, "
            + "before_image, after_image";
    private static final String COPY = "copy row_event (server_id, commit_time, " + COLUMNS + ") from stdin";
    private static final String COPY_PENDING = "copy row_event_pending (server_id, stream, " + COLUMNS + ") from stdin";
    private static final String MOVE_PENDING = "insert into row_event (server_id, commit_time, " + COLUMNS + ") select server_id, ?, "
            + COLUMNS + " from row_event_pending where server_id = ? and stream = ? and seq > ? and seq <= ?";

    private final DataSource dataSource;
    private final UUID serverId;
    private final String sid;
    private final boolean mariadb;
    /** Tags the chunks this writer parks: another writer's (an earlier process, another replica) are never moved. */
    private final UUID stream = UUID.randomUUID();

    public IndexWriter(DataSource dataSource, UUID serverId, boolean mariadb) {
        this.dataSource = dataSource;
        this.serverId = serverId;
        this.sid = serverId.toString();
        this.mariadb = mariadb;
    }

    @Override
    public void write(List<SourceTransaction> batch) throws Exception {
        for (LocalDate day : days(batch)) {
            Partitions.ensure(dataSource, day);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                writeInTransaction(c, batch);
                c.commit();
            } catch (Exception e) {
                c.rollback();
                if (e instanceof SQLException sql && "23514".equals(sql.getSQLState())) {
                    // no partition for a day: another replica's retention dropped one this JVM thought existed
                    days(batch).forEach(Partitions::forget);
                }
                throw e;
            }
        }
    }

    private void writeInTransaction(Connection c, List<SourceTransaction> batch) throws Exception {
        long checkpointSeq;
        String gtidText;
        try (PreparedStatement ps = c.prepareStatement(
                "select binlog_file, binlog_pos, gtid_set from stream_checkpoint where server_id = ? for update")) {
            ps.setObject(1, serverId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no checkpoint for server " + serverId + ": onboarding did not initialize it");
                }
                checkpointSeq = BinlogPosition.seq(rs.getString(1), rs.getLong(2));
                gtidText = rs.getString(3);
            }
        }
        List<SourceTransaction> fresh = new ArrayList<>(batch.size());
        for (SourceTransaction t : batch) {
            if (t.endSeq() > checkpointSeq) {
                fresh.add(t);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        if (!fresh.get(0).complete()) {
            // a chunk of a transaction still being read: parked, invisible, no checkpoint
            copyRows(c, COPY_PENDING, fresh, true);
            return;
        }
        copyRows(c, COPY, fresh, false);
        long rows = 0;
        Map<LocalDate, Long> perDay = new TreeMap<>();
        long from = checkpointSeq;
        boolean moved = false;
        for (SourceTransaction t : fresh) {
            if (t.spilledRows() > 0) {
                movePending(c, t, from);
                moved = true;
            }
            rows += t.totalRows();
            if (t.totalRows() > 0) {
                perDay.merge(LocalDate.ofInstant(t.commitTime(), ZoneOffset.UTC), t.totalRows(), Long::sum);
            }
            from = t.endSeq();
        }
        if (moved) {
            // what is parked up to here is moved, or belongs to a writer that lost the stream
            try (PreparedStatement ps = c.prepareStatement("delete from row_event_pending where server_id = ? and seq <= ?")) {
                ps.setObject(1, serverId);
                ps.setLong(2, from);
                ps.executeUpdate();
            }
        }
        if (rows > 0) {
            try (PreparedStatement ps = c.prepareStatement("insert into row_event_day (server_id, day, events) values (?, ?, ?) "
                    + "on conflict (server_id, day) do update set events = row_event_day.events + excluded.events")) {
                for (Map.Entry<LocalDate, Long> day : perDay.entrySet()) {
                    ps.setObject(1, serverId);
                    ps.setObject(2, day.getKey());
                    ps.setLong(3, day.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        for (SourceTransaction t : fresh) {
            if (t.snapshot() != null) {
                int version = storeSnapshot(c, serverId, t.snapshot(), "ddl: " + abbreviate(t.ddl() == null ? null
                        : t.ddl().statement()), t.file(), t.end());
                if (t.ddl() != null) {
                    storeDdl(c, serverId, t, version);
                }
            }
        }
        SourceTransaction last = fresh.get(fresh.size() - 1);
        String gtidSet = advance(gtidText, fresh);
        String lastGtid = null;
        Instant lastCommit = null;
        for (SourceTransaction t : fresh) {
            if (t.gtid() != null) {
                lastGtid = t.gtid();
            }
            lastCommit = t.commitTime();
        }
        storeTransactions(c, fresh);
        try (PreparedStatement ps = c.prepareStatement("update stream_checkpoint set binlog_file = ?, binlog_pos = ?, gtid_set = ?, "
                + "last_gtid = coalesce(?, last_gtid), last_commit_time = ?, events_indexed = events_indexed + ?, updated_at = now(), "
                + "transactions_since_seq = coalesce(transactions_since_seq, ?) where server_id = ?")) {
            ps.setString(1, last.file());
            ps.setLong(2, last.end());
            ps.setString(3, gtidSet);
            ps.setString(4, lastGtid);
            ps.setTimestamp(5, Timestamp.from(lastCommit));
            ps.setLong(6, rows);
            ps.setLong(7, checkpointSeq);
            ps.setObject(8, serverId);
            ps.executeUpdate();
        }
    }

    /** Records where each transaction ends and its GTID, for a PITR output's metadata (see V6__binlog_transaction). */
    private void storeTransactions(Connection c, List<SourceTransaction> transactions) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into binlog_transaction (server_id, end_seq, commit_time, "
                + "binlog_file, end_pos, gtid) values (?, ?, ?, ?, ?, ?) on conflict (server_id, end_seq) do nothing")) {
            int n = 0;
            for (SourceTransaction t : transactions) {
                if (t.complete()) {
                    ps.setObject(1, serverId);
                    ps.setLong(2, t.endSeq());
                    ps.setTimestamp(3, Timestamp.from(t.commitTime()));
                    ps.setString(4, t.file());
                    ps.setLong(5, t.end());
                    ps.setString(6, t.gtid());
                    ps.addBatch();
                    n++;
                }
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
    }

    /** Moves the parked chunks of a transaction into the index, with its commit time; all of them, or it fails. */
    private void movePending(Connection c, SourceTransaction t, long afterSeq) throws SQLException {
        int moved;
        try (PreparedStatement ps = c.prepareStatement(MOVE_PENDING)) {
            ps.setTimestamp(1, Timestamp.from(t.commitTime()));
            ps.setObject(2, serverId);
            ps.setObject(3, stream);
            ps.setLong(4, afterSeq);
            ps.setLong(5, t.endSeq());
            moved = ps.executeUpdate();
        }
        if (moved != t.spilledRows()) {
            throw new Inconsistent("transaction " + (t.gtid() == null ? "ending at " + t.file() + ":" + t.end() : t.gtid())
                    + " had " + t.spilledRows() + " rows parked, " + moved + " are left");
        }
    }

    /** Streams the rows of the transactions to PostgreSQL by COPY, encoding as it goes. */
    private void copyRows(Connection c, String sql, List<SourceTransaction> transactions, boolean pending) throws Exception {
        boolean any = transactions.stream().anyMatch(t -> !t.rows().isEmpty());
        if (!any) {
            return;
        }
        PGCopyOutputStream copy = new PGCopyOutputStream(c.unwrap(PGConnection.class), sql, 1 << 16);
        try {
            Writer out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 16);
            String lead = pending ? sid + "\t" + stream + "\t" : null;
            for (SourceTransaction t : transactions) {
                if (t.rows().isEmpty()) {
                    continue;
                }
                String prefix = pending ? lead : sid + "\t" + t.commitTime() + "\t";
                String seqFile = t.file();
                for (RowChange r : t.rows()) {
                    out.write(prefix);
                    out.write(Long.toString(BinlogPosition.seq(seqFile, r.position())));
                    out.write('\t');
                    out.write(Integer.toString(r.rowIndex()));
                    out.write('\t');
                    text(out, seqFile).write('\t');
                    out.write(Long.toString(r.position()));
                    out.write('\t');
                    text(out, t.gtid()).write('\t');
                    text(out, r.schema()).write('\t');
                    text(out, r.table()).write('\t');
                    out.write(r.op());
                    out.write('\t');
                    text(out, r.pk()).write('\t');
                    text(out, r.before()).write('\t');
                    text(out, r.after()).write('\n');
                }
            }
            out.flush();
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private String advance(String gtidText, List<SourceTransaction> transactions) {
        boolean any = transactions.stream().anyMatch(t -> t.gtid() != null);
        if (!any) {
            return gtidText;
        }
        if (mariadb) {
            MariadbGtidSet set = new MariadbGtidSet(gtidText == null ? "" : gtidText);
            for (SourceTransaction t : transactions) {
                if (t.gtid() != null) {
                    set.add(t.gtid());
                }
            }
            return set.toString();
        }
        GtidSet set = new GtidSet(gtidText == null ? "" : gtidText);
        for (SourceTransaction t : transactions) {
            if (t.gtid() != null) {
                set.add(t.gtid());
            }
        }
        return set.toString();
    }

    /**
     * Records a DDL statement where it is in the binlog, with the snapshot version taken after it: PITR reads the
     * statements between a baseline and a target to carry rows across ALTERs and to honour TRUNCATE, DROP and RENAME.
     */
    private static void storeDdl(Connection c, UUID serverId, SourceTransaction t, int snapshotVersion) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("insert into ddl_event (server_id, seq, commit_time, ran_at, binlog_file, "
                + "binlog_pos, database_name, statement, snapshot_version) values (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "on conflict (server_id, seq) do nothing")) {
            ps.setObject(1, serverId);
            ps.setLong(2, t.endSeq());
            ps.setTimestamp(3, Timestamp.from(t.commitTime()));
            ps.setTimestamp(4, Timestamp.from(t.ddl().ranAt()));
            ps.setString(5, t.file());
            ps.setLong(6, t.end());
            ps.setString(7, t.ddl().database());
            ps.setString(8, t.ddl().statement());
            ps.setInt(9, snapshotVersion);
            ps.executeUpdate();
        }
    }

    /** Stores a new version of the server's schema snapshot; answers its version. */
    public static int storeSnapshot(Connection c, UUID serverId, SchemaSnapshot snapshot, String reason, String file, Long pos)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement("insert into schema_snapshot (server_id, version, taken_at, reason, binlog_file, "
                + "binlog_pos, tables) select ?, coalesce(max(version), 0) + 1, now(), ?, ?, ?, ?::jsonb from schema_snapshot where server_id = ? "
                + "returning version")) {
            ps.setObject(1, serverId);
            ps.setString(2, reason);
            ps.setString(3, file);
            if (pos == null) {
                ps.setNull(4, java.sql.Types.BIGINT);
            } else {
                ps.setLong(4, pos);
            }
            ps.setString(5, JSON.writeValueAsString(snapshot.tables().values()));
            ps.setObject(6, serverId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String abbreviate(String ddl) {
        return ddl == null ? "" : ddl.length() > 180 ? ddl.substring(0, 180) : ddl;
    }

    private static List<LocalDate> days(List<SourceTransaction> batch) {
        List<LocalDate> days = new ArrayList<>(2);
        for (SourceTransaction t : batch) {
            if (t.commitTime() == null) {
                continue; // a chunk: its day is known at its commit
            }
            LocalDate day = LocalDate.ofInstant(t.commitTime(), ZoneOffset.UTC);
            if (!days.contains(day)) {
                days.add(day);
            }
        }
        return days;
    }

    /** Writes a value in COPY text format: \N for null, backslash, tab and line breaks escaped. */
    private static Writer text(Writer out, String value) throws IOException {
        if (value == null) {
            out.write("\\N");
            return out;
        }
        int plain = 0;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            String escaped = switch (ch) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escaped != null) {
                out.write(value, plain, i - plain);
                out.write(escaped);
                plain = i + 1;
            }
        }
        out.write(value, plain, value.length() - plain);
        return out;
    }

}
