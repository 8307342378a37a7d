package dev.rewind.pitr.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.pitr.support.ServerRegistryStub.Connection;
import dev.rewind.pitr.support.Sources;
import dev.rewind.testing.Tokens;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the packaged service while sysbench writes to the source, then a restart: the index holds exactly the
 * source's row changes — per table and op the number the source made (counted by triggers, so rolled-back
 * transactions count for nothing), each binlog row once, and replaying the events gives the tables as they are.
 */
class KillNineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Sources SOURCE = Sources.MYSQL8;
    private static final int TABLES = 2;
    private static final int TABLE_SIZE = 1000;
    private static final int KILLS = 2;

    @Test
    void killNineUnderSysbenchLoadThenRestartIndexesEverySourceChangeExactlyOnce() throws Exception {
        Sysbench.requireInstalled();
        String schema = SOURCE.createSchema();
        Sysbench sysbench = new Sysbench(SOURCE, schema, TABLES, TABLE_SIZE);
        UUID id = UUID.randomUUID();
        Connection server = SOURCE.connection(id, "acme", "db-kill9-" + id.toString().substring(0, 6), "direct");
        List<Long> kills = new ArrayList<>();
        Process load = null;
        try (Cluster cluster = new Cluster()) {
            IndexDb index = cluster.index();
            try {
                PitrProcess first = cluster.start("0");
                cluster.register(server, first);
                await().atMost(Duration.ofSeconds(60)).until(() -> first.streaming(id));
                PitrProcess owner = first;

                sysbench.prepare();
                // every row change the load commits, counted in the same transaction (a rollback counts nothing)
                SOURCE.execute("use " + schema, "create table audit (n bigint auto_increment primary key, tbl varchar(64) not null, "
                        + "op varchar(6) not null)");
                for (int t = 1; t <= TABLES; t++) {
                    for (String op : new String[] {"insert", "update", "delete"}) {
                        SOURCE.execute("use " + schema, "create trigger sbtest" + t + "_" + op + " after " + op + " on sbtest" + t
                                + " for each row insert into audit (tbl, op) values ('sbtest" + t + "', '" + op + "')");
                    }
                }
                load = sysbench.run(4, 150);
                for (int kill = 1; kill <= KILLS; kill++) {
                    // the service dies while it is indexing the load
                    long before = index.count(id, schema);
                    await().atMost(Duration.ofSeconds(60)).until(() -> index.count(id, schema) > before + 3000);
                    assertThat("exit status of SIGKILL", owner.kill(), is(137));
                    kills.add(index.count(id, schema));

                    // restarted: once the dead member's session expires, its partitions and the server come back
                    owner = cluster.start(String.valueOf(kill));
                    PitrProcess restarted = owner;
                    await().atMost(Duration.ofSeconds(60)).until(() -> restarted.streaming(id));
                    // it catches up with what the source wrote meanwhile, while the load goes on
                    long writtenMeanwhile = total(sourceChanges(schema));
                    await().atMost(Duration.ofSeconds(60)).until(() -> index.count(id, schema) >= writtenMeanwhile);
                }
                sysbench.stop(load);
                load = null;

                Map<String, Long> expected = sourceChanges(schema);
                long total = total(expected);
                index.awaitIndexed(id, schema, total);
                assertThat(index.countsByTableAndOp(id, schema), is(expected));
                assertThat("binlog rows indexed twice", index.duplicates(id), is(0L));
                for (int t = 1; t <= TABLES; t++) {
                    assertThat("rows of sbtest" + t + " whose replay from the index differs from the table",
                            IndexDb.differences(replayed(index, id, schema, "sbtest" + t), table(schema, "sbtest" + t)), empty());
                }

                JsonNode coverage = JSON.readTree(owner.get("/servers/" + id + "/pitr/coverage", Tokens.user(Tokens.ACME_ADMIN)));
                assertThat(coverage.get("available").asBoolean(), is(true));
                assertThat(coverage.get("gaps").size(), is(0));
                assertThat(coverage.get("total_events").asLong(), greaterThanOrEqualTo(total));
                assertThat(index.streamingInstance(id), is(owner.instance()));
                System.out.printf("KillNineIT: %d row changes indexed exactly once across %d kill -9 (indexed at each kill: %s)%n",
                        total, KILLS, kills);
            } finally {
                if (load != null) {
                    sysbench.stop(load);
                }
                cluster.decommission(server);
            }
        } finally {
            SOURCE.dropSchema(schema);
        }
    }

    /** Row changes the source committed in the schema, per table and op, as the index names them. */
    private static Map<String, Long> sourceChanges(String schema) throws Exception {
        Map<String, Long> changes = new TreeMap<>();
        for (int t = 1; t <= TABLES; t++) {
            changes.put("sbtest" + t + " insert", (long) TABLE_SIZE); // sysbench prepare, before the triggers
        }
        long audited = 0;
        try (var c = SOURCE.root(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select tbl, op, count(*) from " + schema + ".audit group by tbl, op")) {
            while (rs.next()) {
                changes.merge(rs.getString(1) + " " + rs.getString(2), rs.getLong(3), Long::sum);
                audited += rs.getLong(3);
            }
        }
        changes.put("audit insert", audited);
        return changes;
    }

    private static long total(Map<String, Long> changes) {
        return changes.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<Long, String> replayed(IndexDb index, UUID server, String schema, String table) throws Exception {
        Map<Long, String> rows = new HashMap<>();
        index.replay(server, schema, table).values().forEach(after -> rows.put(after.get("id").asLong(),
                after.get("k").asLong() + "|" + after.get("c").asText() + "|" + after.get("pad").asText()));
        return rows;
    }

    private static Map<Long, String> table(String schema, String table) throws Exception {
        Map<Long, String> rows = new HashMap<>();
        try (var c = SOURCE.root(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id, k, c, pad from " + schema + "." + table)) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getLong(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
            }
        }
        return rows;
    }
}
