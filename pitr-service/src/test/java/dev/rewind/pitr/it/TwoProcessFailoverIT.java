package dev.rewind.pitr.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.support.ServerRegistryStub.Connection;
import dev.rewind.pitr.support.Sources;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * Two packaged service processes in one consumer group split the servers between them by partition of rewind.servers.
 * When one is killed (-9), the other takes its server over from the checkpoint; when a third joins and the survivor
 * is stopped (SIGTERM), the third streams both. A writer keeps changing the source throughout, and every change is
 * indexed exactly once for each server.
 */
class TwoProcessFailoverIT {

    private static final int PARTITIONS = 6;
    private static final Sources SOURCE = Sources.MARIADB;

    @Test
    void serversAreSplitBetweenProcessesAndMoveToTheSurvivorWhenOneIsKilledOrStopped() throws Exception {
        String schema = SOURCE.createSchema();
        SOURCE.execute("use " + schema, "create table t (id int primary key, v varchar(40) not null, n int not null)");
        Writer writer = new Writer(schema);
        Thread writing = new Thread(writer, "it-writer");
        Connection onFirst = null;
        Connection onSecond = null;
        try (Cluster cluster = new Cluster()) {
            IndexDb index = cluster.index();
            try {
                PitrProcess first = cluster.launch("1");
                PitrProcess second = cluster.launch("2");
                first.awaitReady();
                second.awaitReady();
                await().atMost(Duration.ofSeconds(60)).until(() -> split(first.assignedPartitions(), second.assignedPartitions()));
                onFirst = server(first.assignedPartitions());
                onSecond = server(second.assignedPartitions());
                UUID x = onFirst.serverId();
                UUID y = onSecond.serverId();
                cluster.register(onFirst, first);
                cluster.register(onSecond, second);
                // each process streams its own share, and only that
                await().atMost(Duration.ofSeconds(60)).until(() -> first.streaming(x) && second.streaming(y));
                assertThat(first.runs(y), is(false));
                assertThat(second.runs(x), is(false));
                await().atMost(Duration.ofSeconds(30)).until(() -> first.instance().equals(index.streamingInstance(x))
                        && second.instance().equals(index.streamingInstance(y)));

                writing.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> index.count(x, schema) > 300 && index.count(y, schema) > 300);

                // kill -9 of the second: once its session expires, the first streams its server from the checkpoint
                assertThat("exit status of SIGKILL", second.kill(), is(137));
                await().atMost(Duration.ofSeconds(60)).until(() -> first.streaming(y));
                long atTakeOver = index.count(y, schema);
                await().atMost(Duration.ofSeconds(60)).until(() -> index.count(y, schema) > atTakeOver + 300);

                // a third process joins, then the first stops gracefully: the third streams both servers
                PitrProcess third = cluster.start("3");
                assertThat("exit status of SIGTERM", first.terminate(), is(143));
                assertThat(first.log(), containsString("pitr-service stopped"));
                await().atMost(Duration.ofSeconds(60)).until(() -> third.assignedPartitions().size() == PARTITIONS);
                await().atMost(Duration.ofSeconds(60)).until(() -> third.streaming(x) && third.streaming(y));
                long atSecondMove = index.count(x, schema);
                await().atMost(Duration.ofSeconds(60)).until(() -> index.count(x, schema) > atSecondMove + 300);
                writer.stop();
                writing.join(30_000);
                assertThat("the writer's failure", writer.failure, nullValue());

                Map<String, Long> expected = writer.changes();
                long total = expected.values().stream().mapToLong(Long::longValue).sum();
                Map<Long, String> table = table(schema);
                for (UUID server : new UUID[] {x, y}) {
                    index.awaitIndexed(server, schema, total);
                    assertThat(index.countsByTableAndOp(server, schema), is(expected));
                    assertThat("binlog rows indexed twice", index.duplicates(server), is(0L));
                    assertThat("inserted keys", index.distinctKeys(server, schema, "t"), is(writer.inserted()));
                    assertThat("rows of t whose replay from the index differs from the table",
                            IndexDb.differences(replayed(index, server, schema), table), empty());
                    await().atMost(Duration.ofSeconds(40)).until(() -> third.instance().equals(index.streamingInstance(server)));
                }
                System.out.printf("TwoProcessFailoverIT: %d row changes per server indexed exactly once across a kill -9 and a stop%n", total);
            } finally {
                writer.stop();
                writing.join(30_000);
                if (onFirst != null) {
                    cluster.decommission(onFirst);
                }
                if (onSecond != null) {
                    cluster.decommission(onSecond);
                }
            }
        } finally {
            SOURCE.dropSchema(schema);
        }
    }

    /** Both hold partitions, none twice, all between them. */
    private static boolean split(Set<Integer> first, Set<Integer> second) {
        Set<Integer> all = new HashSet<>(first);
        all.addAll(second);
        return !first.isEmpty() && !second.isEmpty() && all.size() == PARTITIONS && all.size() == first.size() + second.size();
    }

    /** A server on the source whose key lands in one of the partitions, as Kafka's default partitioner places it. */
    private static Connection server(Set<Integer> partitions) {
        while (true) {
            UUID id = UUID.randomUUID();
            int partition = Utils.toPositive(Utils.murmur2(id.toString().getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (partitions.contains(partition)) {
                return SOURCE.connection(id, "acme", "db-failover-" + id.toString().substring(0, 6), "direct");
            }
        }
    }

    private static Map<Long, String> replayed(IndexDb index, UUID server, String schema) throws Exception {
        Map<Long, String> rows = new HashMap<>();
        index.replay(server, schema, "t").values().forEach(after -> rows.put(after.get("id").asLong(),
                after.get("v").asText() + "|" + after.get("n").asLong()));
        return rows;
    }

    private static Map<Long, String> table(String schema) throws Exception {
        Map<Long, String> rows = new HashMap<>();
        try (var c = SOURCE.root(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id, v, n from " + schema + ".t")) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getString(2) + "|" + rs.getLong(3));
            }
        }
        return rows;
    }

    /**
     * Small transactions until stopped: each inserts a row, every third also updates an earlier row and every fifth
     * deletes one. Counts what the source committed, as the rows each statement affected.
     */
    private static final class Writer implements Runnable {

        private final String schema;
        private final AtomicLong inserts = new AtomicLong();
        private final AtomicLong updates = new AtomicLong();
        private final AtomicLong deletes = new AtomicLong();
        private volatile boolean running = true;
        private volatile Exception failure;

        Writer(String schema) {
            this.schema = schema;
        }

        @Override
        public void run() {
            try (var c = SOURCE.root()) {
                c.setCatalog(schema);
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement("insert into t values (?, ?, 0)");
                        PreparedStatement update = c.prepareStatement("update t set n = n + 1, v = concat('updated ', ?) where id = ?");
                        PreparedStatement delete = c.prepareStatement("delete from t where id = ?")) {
                    for (int id = 1; running; id++) {
                        insert.setInt(1, id);
                        insert.setString(2, "row " + id);
                        int inserted = insert.executeUpdate();
                        int updated = 0;
                        int deleted = 0;
                        if (id % 3 == 0) {
                            update.setInt(1, id);
                            update.setInt(2, id - 1);
                            updated = update.executeUpdate();
                        }
                        if (id % 5 == 0) {
                            delete.setInt(1, id - 2);
                            deleted = delete.executeUpdate();
                        }
                        c.commit();
                        inserts.addAndGet(inserted);
                        updates.addAndGet(updated);
                        deletes.addAndGet(deleted);
                        Thread.sleep(2); // a steady stream rather than a burst
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        void stop() {
            running = false;
        }

        long inserted() {
            return inserts.get();
        }

        Map<String, Long> changes() {
            Map<String, Long> changes = new TreeMap<>();
            changes.put("t insert", inserts.get());
            changes.put("t update", updates.get());
            changes.put("t delete", deletes.get());
            return changes;
        }
    }
}
