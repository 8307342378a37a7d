package dev.rewind.pitr.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.pitr.binlog.BinlogPosition;
import dev.rewind.pitr.binlog.SchemaSnapshot;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The stream bookkeeping of each server (checkpoint, status, schema snapshots) over JDBC, for the streamer's worker
 * threads. The index writer itself is {@link IndexWriter}.
 */
@ApplicationScoped
public class StreamStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgroalDataSource dataSource;

    public StreamStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Where a stream resumes, with what it knew of the source. */
    public record Checkpoint(BinlogPosition position, String gtidSet, String identity, Instant lastCommitTime, Instant updatedAt) {
    }

    public Optional<Checkpoint> checkpoint(UUID serverId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select binlog_file, binlog_pos, gtid_set, source_identity, last_commit_time, updated_at from stream_checkpoint where server_id = ?")) {
            ps.setObject(1, serverId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp last = rs.getTimestamp(5);
                return Optional.of(new Checkpoint(new BinlogPosition(rs.getString(1), rs.getLong(2)), rs.getString(3),
                        rs.getString(4), last == null ? null : last.toInstant(), rs.getTimestamp(6).toInstant()));
            }
        }
    }

    /** The first checkpoint of a server: the binlog's end when onboarding initialized the index. Kept if one exists. */
    public void initCheckpoint(UUID serverId, BinlogPosition position, String gtidSet, String identity) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into stream_checkpoint (server_id, binlog_file, binlog_pos, gtid_set, source_identity, updated_at, "
                        + "transactions_since_seq) values (?, ?, ?, ?, ?, now(), ?) on conflict (server_id) do nothing")) {
            ps.setObject(1, serverId);
            ps.setString(2, position.file());
            ps.setLong(3, position.position());
            ps.setString(4, gtidSet);
            ps.setString(5, identity);
            ps.setLong(6, position.seq());
            ps.executeUpdate();
        }
    }

    public void status(UUID serverId, String state, String error, String instance) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into stream_status (server_id, state, error, instance, state_at) values (?, ?, ?, ?, now()) "
                        + "on conflict (server_id) do update set state = excluded.state, error = excluded.error, "
                        + "instance = excluded.instance, state_at = excluded.state_at")) {
            ps.setObject(1, serverId);
            ps.setString(2, state);
            ps.setString(3, error);
            ps.setString(4, instance);
            ps.executeUpdate();
        } catch (SQLException e) {
            io.quarkus.logging.Log.warnf("cannot record stream state %s of %s: %s", state, serverId, e.getMessage());
        }
    }

    /** Records a stream as stopped unless another instance has taken the server's status over meanwhile. */
    public void stoppedIfOwner(UUID serverId, String instance) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update stream_status set state = 'stopped', error = null, state_at = now() where server_id = ? and instance = ?")) {
            ps.setObject(1, serverId);
            ps.setString(2, instance);
            ps.executeUpdate();
        } catch (SQLException e) {
            io.quarkus.logging.Log.warnf("cannot record the stop of the stream of %s: %s", serverId, e.getMessage());
        }
    }

    /** Counts one more death of the server's live stream; answers the count (0 when the server has no status row). */
    public int recordFailure(UUID serverId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update stream_status set failures = failures + 1 where server_id = ? returning failures")) {
            ps.setObject(1, serverId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** How often the server's live stream died so far. */
    public int failures(UUID serverId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select failures from stream_status where server_id = ?")) {
            ps.setObject(1, serverId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    public void markOnboarded(UUID serverId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update stream_status set onboarded_at = coalesce(onboarded_at, now()) where server_id = ?")) {
            ps.setObject(1, serverId);
            ps.executeUpdate();
        }
    }

    /** Whether onboarding reached streaming once (a later start only resumes from the checkpoint). */
    public boolean onboarded(UUID serverId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select 1 from stream_status s join stream_checkpoint k on k.server_id = s.server_id "
                        + "where s.server_id = ? and s.onboarded_at is not null")) {
            ps.setObject(1, serverId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Marks a server server-registry no longer knows as gone in the projection: its events were published after the
     * registry committed it, so a 404 means it was deleted (its server.decommissioned may have been missed).
     */
    public void retire(UUID serverId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update server set decommissioned_at = coalesce(decommissioned_at, now()) where id = ?")) {
            ps.setObject(1, serverId);
            ps.executeUpdate();
        } catch (SQLException e) {
            io.quarkus.logging.Log.warnf("cannot retire server %s: %s", serverId, e.getMessage());
        }
    }

    /** Forgets that onboarding completed (the connection changed: onboarding runs again). */
    public void resetOnboarding(UUID serverId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update stream_status set onboarded_at = null where server_id = ?")) {
            ps.setObject(1, serverId);
            ps.executeUpdate();
        }
    }

    /** Stores the snapshot as a new version unless it equals the latest one. */
    public void storeSnapshotIfChanged(UUID serverId, SchemaSnapshot snapshot, String reason, BinlogPosition at) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "select tables = ?::jsonb from schema_snapshot where server_id = ? order by version desc limit 1")) {
                ps.setString(1, JSON.writeValueAsString(snapshot.tables().values()));
                ps.setObject(2, serverId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        c.rollback();
                        return;
                    }
                }
            }
            IndexWriter.storeSnapshot(c, serverId, snapshot, reason, at == null ? null : at.file(), at == null ? null : at.position());
            c.commit();
        }
    }
}
