package dev.rewind.pitr.run;

import static dev.rewind.pitr.run.PitrCorrectnessTest.coverage;
import static dev.rewind.pitr.run.PitrCorrectnessTest.pitr;
import static dev.rewind.pitr.run.PitrCorrectnessTest.sleepIntoNextSecond;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.Baselines;
import dev.rewind.pitr.support.Restores;
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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transactions far larger than a chunk (a bulk INSERT, an UPDATE of every row, a DELETE without WHERE, each one
 * transaction) reach the index in chunks and become visible whole at their commit: each is indexed exactly once,
 * nothing stays parked, and a PITR to the second before the mass DELETE brings every row back as it was.
 */
@QuarkusTest
class LargeTransactionTest {

    /** Eight chunks of the default 5,000 rows each. */
    static final int BULK = 40_000;
    static final int BEFORE = 100;

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Inject
    PitrStorage storage;

    @Inject
    AgroalDataSource index;

    @ParameterizedTest
    @EnumSource(Sources.class)
    void aMassDeleteInOneTransactionIsUndoneByAPitrToTheSecondBefore(Sources source) throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, source, "acme");
        String schema = source.createSchema();
        try {
            source.execute("use " + schema,
                    "create table digit (n int primary key)",
                    "insert into digit values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)",
                    "create table big (id int primary key, k int not null, c varchar(120) not null, pad char(60) not null)",
                    "insert into big select n + 1, n, concat('before-', n), 'p' from digit union all "
                            + "select n + 11, n, 'x', 'q' from digit");
            for (int i = 20; i < BEFORE; i += 10) {
                source.execute("use " + schema, "insert into big select n + 1 + " + i + ", n, 'y', 'r' from digit");
            }
            Baselines.Baseline baseline = Baselines.take(storage, source, server, schema);
            await().atMost(Duration.ofSeconds(30)).until(() -> coverage(server).getList("baselines.backup_id")
                    .contains(baseline.backupId().toString()));

            // one statement, one transaction each: a bulk load, then an UPDATE of every row
            source.execute("use " + schema, "insert into big select " + BEFORE + " + 1 + a.n + 10 * b.n + 100 * c.n + 1000 * d.n"
                    + " + 10000 * e.n, a.n, repeat(concat('bulk-', b.n, c.n, '-'), 12), concat('pad-', a.n) "
                    + "from digit a, digit b, digit c, digit d, digit e where e.n < " + BULK / 10_000);
            source.execute("use " + schema, "update big set k = k + 7, c = concat('u-', c)");
            sleepIntoNextSecond(300);
            List<String> truth;
            try (Connection c = source.root()) {
                truth = Restores.rows(c, schema, "big");
            }
            assertThat(truth, hasSize(BEFORE + BULK));
            OffsetDateTime target = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            sleepIntoNextSecond(100);

            source.execute("use " + schema, "delete from big"); // the mistake: every row, one transaction

            long expected = (BEFORE + BULK) * 3L; // every row inserted (the first hundred too), updated, deleted
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> indexed(server.serverId(), schema) == expected);
            assertThat("the index holds each row change once", indexed(server.serverId(), schema), is(expected));
            assertThat("nothing stays parked once the transactions committed", parked(server.serverId()), is(0L));

            Map<String, List<String>> rebuilt = pitr(storage, source, server, schema, target, List.of("big"));
            assertThat("big at " + target + ", the second before the DELETE", rebuilt.get("big"), equalTo(truth));
        } finally {
            source.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    private long indexed(UUID server, String schema) throws Exception {
        return single("select count(*) from row_event where server_id = ? and schema_name = ? and table_name = 'big'", server,
                schema);
    }

    private long parked(UUID server) throws Exception {
        return single("select count(*) from row_event_pending where server_id = ?", server);
    }

    private long single(String sql, Object... parameters) throws Exception {
        try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
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
