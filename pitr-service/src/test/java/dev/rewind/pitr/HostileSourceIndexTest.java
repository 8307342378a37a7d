package dev.rewind.pitr;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a tenant controls in its binlog cannot make the index grow where it should not: commit times forged with
 * {@code SET TIMESTAMP} (1971, 2037) are kept between the previous commit and now, so they create no partition of
 * their own; and rows written into Rewind's own scratch databases ({@code rewind_verify_*}, restore verification on a
 * source) are not indexed.
 */
@QuarkusTest
class HostileSourceIndexTest {

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Inject
    AgroalDataSource index;

    @ParameterizedTest
    @EnumSource(Sources.class)
    void forgedCommitTimesStayInOrderAndNowAndScratchDatabasesAreNotIndexed(Sources source) throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, source, "acme");
        String schema = source.createSchema();
        String scratch = "rewind_verify_" + UUID.randomUUID().toString().substring(0, 8) + "_x";
        Instant before = Instant.now().minusSeconds(1);
        String forgedDays = "select count(*) from pg_class where relname like 'row_event_p1971%' or relname like 'row_event_p2037%'";
        long forgedBefore = count(forgedDays);
        try {
            source.execute("use " + schema, "create table t (id int primary key)", "insert into t values (0)",
                    "set timestamp = 31536000", "insert into t values (1)",          // 1971-01-01
                    "set timestamp = 2145830400", "insert into t values (2)",        // 2037-12-31 (MySQL: at most 2038)
                    "set timestamp = default", "insert into t values (3)");
            source.execute("create database " + scratch, "create table " + scratch + ".s (id int primary key)",
                    "insert into " + scratch + ".s values (1), (2)", "use " + schema, "insert into t values (4)");

            List<Instant> times = await().atMost(Duration.ofSeconds(30)).until(() -> commitTimes(server, schema),
                    found -> found.size() == 5);
            Instant after = Instant.now();
            for (int i = 1; i < times.size(); i++) {
                assertThat("commit times follow the binlog: " + times, times.get(i), greaterThanOrEqualTo(times.get(i - 1)));
            }
            assertThat(times.get(0), greaterThanOrEqualTo(before));
            assertThat(times.get(4), lessThanOrEqualTo(after.plus(Duration.ofMinutes(5))));
            assertEquals(forgedBefore, count(forgedDays), "no partition for a forged day");
            assertEquals(0, count("select count(*) from row_event where server_id = '" + server.serverId() + "' and schema_name = '"
                    + scratch + "'"), "Rewind's scratch databases are not indexed");
        } finally {
            source.execute("drop database if exists " + scratch);
            source.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = index.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Instant> commitTimes(ServerRegistryStub.Connection server, String schema) throws Exception {
        List<Instant> times = new ArrayList<>();
        try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select commit_time from row_event where server_id = ? and schema_name = ? and table_name = 't'"
                        + " order by seq, row_index")) {
            ps.setObject(1, server.serverId());
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    times.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        return times;
    }
}
