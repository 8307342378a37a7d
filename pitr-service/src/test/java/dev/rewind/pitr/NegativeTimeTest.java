package dev.rewind.pitr;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TIME with every fractional precision, negative values above all (stored with their fraction reversed for binary
 * sorting): the indexed image equals what the source returns, on each source. {@code -513:31:03.11} in a TIME(2)
 * used to come back as {@code -513:31:03.26}.
 */
@QuarkusTest
class NegativeTimeTest {

    private static final String[] VALUES = {"-513:31:03.11", "-513:31:03.119999", "-00:00:00.01", "-00:00:00.990001", "-838:59:58.999999",
            "-01:00:00.5", "-00:00:01", "-12:34:56.000001", "513:31:03.119999", "00:00:00", "838:59:58.999999", "-00:00:00.000001"};

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Inject
    AgroalDataSource index;

    @ParameterizedTest
    @EnumSource(Sources.class)
    void everyTimePrecisionNegativeOrNotIsIndexedAsTheSourceHoldsIt(Sources source) throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, source, "acme");
        String schema = source.createSchema();
        try {
            source.execute("use " + schema, "create table t (id int primary key, t0 time, t1 time(1), t2 time(2), t3 time(3),"
                    + " t4 time(4), t5 time(5), t6 time(6))");
            for (int i = 0; i < VALUES.length; i++) {
                String v = "'" + VALUES[i] + "'";
                source.execute("use " + schema, "insert into t values (" + i + ", " + v + ", " + v + ", " + v + ", " + v + ", " + v
                        + ", " + v + ", " + v + ")");
            }
            List<String> truth = new ArrayList<>();
            try (Connection c = source.root(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select id, cast(t0 as char), cast(t1 as char), cast(t2 as char), cast(t3 as char), cast(t4 as char),"
                            + " cast(t5 as char), cast(t6 as char) from " + schema + ".t order by id")) {
                while (rs.next()) {
                    StringBuilder row = new StringBuilder(rs.getString(1));
                    for (int col = 2; col <= 8; col++) {
                        row.append('|').append(rs.getString(col));
                    }
                    truth.add(row.toString());
                }
            }
            assertThat(truth.get(0), containsString("|-513:31:03.11|"));

            List<String> indexed = await().atMost(Duration.ofSeconds(30)).until(() -> indexed(server, schema),
                    rows -> rows.size() == VALUES.length);
            assertThat(indexed, equalTo(truth));
        } finally {
            source.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    private List<String> indexed(ServerRegistryStub.Connection server, String schema) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select after_image->>'id', after_image->>'t0', after_image->>'t1', after_image->>'t2', after_image->>'t3',"
                        + " after_image->>'t4', after_image->>'t5', after_image->>'t6' from row_event"
                        + " where server_id = ? and schema_name = ? and table_name = 't' order by (after_image->>'id')::int")) {
            ps.setObject(1, server.serverId());
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StringBuilder row = new StringBuilder(rs.getString(1));
                    for (int col = 2; col <= 8; col++) {
                        row.append('|').append(rs.getString(col));
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }
}
