package dev.rewind.pitr;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.index.Partitions;
import dev.rewind.pitr.service.RetentionService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention drops whole old days of the index, never one the oldest baseline still needs. */
@QuarkusTest
class RetentionTest {

    @Inject RetentionService retention;
    @Inject AgroalDataSource index;

    @Test
    void oldDaysAreDroppedUnlessABaselineStillNeedsThem() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(400 + (int) (Math.random() * 1000));
        UUID server = UUID.randomUUID();
        UUID backup = UUID.randomUUID();
        Partitions.ensure(index, day);
        try (Connection c = index.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into row_event (server_id, commit_time, seq, row_index, binlog_file, binlog_pos, schema_name, "
                    + "table_name, op, pk, after_image) values ('" + server + "', '" + day + "T12:00:00Z', 4, 0, 'bin.000001', 4, "
                    + "'s', 't', 'insert', '{\"id\":1}', '{\"id\":1}')");
            s.execute("insert into row_event_day values ('" + server + "', '" + day + "', 1)");
            // a baseline from the day before: PITR from it needs that day's events
            s.execute("insert into baseline (backup_id, server_id, tenant, completed_at) values ('" + backup + "', '" + server
                    + "', 'acme', '" + day.minusDays(1) + "T00:00:00Z')");
        }
        try {
            assertThat(retention.prune(), not(hasItem(Partitions.name(day))));
            assertThat(partitionExists(day), is(true));
        } finally {
            try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "update baseline set deleted_at = ? where backup_id = ?")) {
                ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setObject(2, backup);
                ps.executeUpdate();
            }
        }
        assertThat(retention.prune(), hasItem(Partitions.name(day)));
        assertThat(partitionExists(day), is(false));
        try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from row_event_day where server_id = ?")) {
            ps.setObject(1, server);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1), is(0L));
            }
        }
    }

    private boolean partitionExists(LocalDate day) throws Exception {
        try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, Partitions.name(day));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
