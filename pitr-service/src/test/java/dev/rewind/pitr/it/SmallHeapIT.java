package dev.rewind.pitr.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.support.ServerRegistryStub.Connection;
import dev.rewind.pitr.support.Sources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The worst day, in a small heap: the packaged service with {@code -Xmx160m} (it exits on OutOfMemoryError, as
 * deployed) streams a server that takes a bulk INSERT of {@value #ROWS} rows in one transaction, then a DELETE of all
 * of them in one transaction. Before chunked transactions both were held whole in memory and the process died.
 * Now it stays up and streaming, indexes every row once, and shows each transaction only whole: the rows a reader
 * can see jump from 0 to all inserts, and from there to all deletes, never a part.
 */
class SmallHeapIT {

    private static final Sources SOURCE = Sources.MARIADB;
    private static final int ROWS = 300_000;
    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\} ([0-9.E+]+)");

    @Test
    void aBulkLoadAndAMassDeleteOfHundredsOfThousandsOfRowsAreIndexedWholeInASmallHeap() throws Exception {
        String schema = SOURCE.createSchema();
        UUID id = UUID.randomUUID();
        Connection server = SOURCE.connection(id, "acme", "db-heap-" + id.toString().substring(0, 6), "direct");
        try (Cluster cluster = new Cluster()) {
            IndexDb index = cluster.index();
            try {
                PitrProcess process = cluster.start("0", "160m");
                cluster.register(server, process);
                await().atMost(Duration.ofSeconds(60)).until(() -> process.streaming(id));
                SOURCE.execute("use " + schema,
                        "create table digit (n int primary key)",
                        "insert into digit values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)",
                        "create table big (id int primary key, k int not null, c char(120) not null, pad char(60) not null)");
                long base = 10; // the digits
                await().atMost(Duration.ofSeconds(60)).until(() -> index.count(id, schema) == base);

                SOURCE.execute("use " + schema, "insert into big select 1 + a.n + 10 * b.n + 100 * c.n + 1000 * d.n + 10000 * e.n"
                        + " + 100000 * f.n, a.n, repeat(concat('row-', a.n, b.n, c.n, d.n, '-'), 12), concat('pad-', e.n, f.n) "
                        + "from digit a, digit b, digit c, digit d, digit e, digit f where f.n < " + ROWS / 100_000);
                List<Long> seen = watch(index, id, schema, base + ROWS, process);
                assertThat("row counts a reader saw while the load was indexed", seen, everyItem(anyOf(is(base), is(base + ROWS))));

                SOURCE.execute("use " + schema, "delete from big");
                seen = watch(index, id, schema, base + 2L * ROWS, process);
                assertThat("row counts a reader saw while the delete was indexed", seen,
                        everyItem(anyOf(is(base + ROWS), is(base + 2L * ROWS))));

                assertThat("the process is still the one that started: " + process.tail(), process.alive(), is(true));
                assertThat(process.streaming(id), is(true));
                assertThat(index.countsByTableAndOp(id, schema).get("big insert"), is((long) ROWS));
                assertThat(index.countsByTableAndOp(id, schema).get("big delete"), is((long) ROWS));
                assertThat(index.duplicates(id), is(0L));
                double heap = heapUsed(process);
                System.out.printf("SmallHeapIT: %d-row transactions indexed; heap used now %.0f MiB of 160%n", ROWS, heap / (1 << 20));
            } finally {
                cluster.decommission(server);
            }
        } finally {
            SOURCE.dropSchema(schema);
        }
    }

    /** Polls the visible row count until it reaches {@code expected}; answers every distinct count it saw. */
    private static List<Long> watch(IndexDb index, UUID id, String schema, long expected, PitrProcess process) throws Exception {
        List<Long> seen = new ArrayList<>();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.alive()) {
                throw new AssertionError("pitr-service died while indexing:\n" + process.tail());
            }
            long now = index.count(id, schema);
            if (seen.isEmpty() || seen.get(seen.size() - 1) != now) {
                seen.add(now);
            }
            return now == expected;
        });
        return seen;
    }

    private static double heapUsed(PitrProcess process) throws Exception {
        double used = 0;
        Matcher m = HEAP.matcher(process.metrics());
        while (m.find()) {
            used += Double.parseDouble(m.group(1));
        }
        return used;
    }
}
