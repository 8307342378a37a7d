package dev.rewind.pitr.index;

import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.MariadbGtidSet;
import dev.rewind.pitr.binlog.BinlogPosition;
import dev.rewind.pitr.binlog.IndexSink;
import dev.rewind.pitr.binlog.RowChange;
import dev.rewind.pitr.binlog.SchemaSnapshot;
import dev.rewind.pitr.binlog.SourceTransaction;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
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

/**
 * Writes one server's transactions into the index: rows by COPY, the per-day counts, new schema snapshots and the
 * checkpoint, all in one PostgreSQL transaction. The checkpoint row is locked first and transactions at or before it
 * are skipped, so a batch read twice (a restart, a second replica) is written once.
 */
public final class IndexWriter implements IndexSink {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COPY = "copy row_event (server_id, commit_time, seq, row_index, binlog_file, binlog_pos, gtid, "
            + "schema_name, table_name, op, pk, before_image, after_image) from stdin";

    private final DataSource dataSource;
    private final UUID serverId;
    private final String sid;
    private final boolean mariadb;

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
        StringBuilder copy = new StringBuilder(fresh.size() * 256);
        Map<LocalDate, Long> perDay = new TreeMap<>();
        long rows = 0;
        for (SourceTransaction t : fresh) {
            if (t.rows().isEmpty()) {
                continue;
            }
            String commit = t.commitTime().toString();
            String seqFile = t.file();
            for (RowChange r : t.rows()) {
                copy.append(sid).append('\t').append(commit).append('\t').append(BinlogPosition.seq(seqFile, r.position()))
                        .append('\t').append(r.rowIndex()).append('\t');
                text(copy, seqFile).append('\t').append(r.position()).append('\t');
                text(copy, t.gtid()).append('\t');
                text(copy, r.schema()).append('\t');
                text(copy, r.table()).append('\t').append(r.op()).append('\t');
                text(copy, r.pk()).append('\t');
                text(copy, r.before()).append('\t');
                text(copy, r.after()).append('\n');
            }
            rows += t.rows().size();
            perDay.merge(LocalDate.ofInstant(t.commitTime(), ZoneOffset.UTC), (long) t.rows().size(), Long::sum);
        }
        if (rows > 0) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(copy.toString()));
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
                storeSnapshot(c, serverId, t.snapshot(), "ddl: " + abbreviate(t.ddl()), t.file(), t.end());
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
        try (PreparedStatement ps = c.prepareStatement("update stream_checkpoint set binlog_file = ?, binlog_pos = ?, gtid_set = ?, "
                + "last_gtid = coalesce(?, last_gtid), last_commit_time = ?, events_indexed = events_indexed + ?, updated_at = now() "
                + "where server_id = ?")) {
            ps.setString(1, last.file());
            ps.setLong(2, last.end());
            ps.setString(3, gtidSet);
            ps.setString(4, lastGtid);
            ps.setTimestamp(5, Timestamp.from(lastCommit));
            ps.setLong(6, rows);
            ps.setObject(7, serverId);
            ps.executeUpdate();
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

    /** Stores a new version of the server's schema snapshot. */
    public static void storeSnapshot(Connection c, UUID serverId, SchemaSnapshot snapshot, String reason, String file, Long pos)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement("insert into schema_snapshot (server_id, version, taken_at, reason, binlog_file, "
                + "binlog_pos, tables) select ?, coalesce(max(version), 0) + 1, now(), ?, ?, ?, ?::jsonb from schema_snapshot where server_id = ?")) {
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
            ps.executeUpdate();
        }
    }

    private static String abbreviate(String ddl) {
        return ddl == null ? "" : ddl.length() > 180 ? ddl.substring(0, 180) : ddl;
    }

    private static List<LocalDate> days(List<SourceTransaction> batch) {
        List<LocalDate> days = new ArrayList<>(2);
        for (SourceTransaction t : batch) {
            LocalDate day = LocalDate.ofInstant(t.commitTime(), ZoneOffset.UTC);
            if (!days.contains(day)) {
                days.add(day);
            }
        }
        return days;
    }

    /** Appends a value in COPY text format: \N for null, backslash, tab and line breaks escaped. */
    private static StringBuilder text(StringBuilder out, String value) {
        if (value == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out;
    }

}
