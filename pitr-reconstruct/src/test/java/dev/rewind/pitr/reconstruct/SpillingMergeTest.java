package dev.rewind.pitr.reconstruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table whose changes exceed the merge's memory is merged in partitions on disk: the result must be the very rows,
 * and the very counts, of the merge in memory, for every kind of key, whatever the changes do (inserts, updates in
 * place and of the key, deletes, keys coming back), and nothing may stay on disk.
 */
class SpillingMergeTest {

    static final TableSchema INT_KEY = TableSchema.parse("CREATE TABLE `t` (`id` int NOT NULL, `v` varchar(20), "
            + "`d` decimal(10,2), `f` double, `b` blob, `j` json, `ts` datetime, PRIMARY KEY (`id`))");
    static final TableSchema TEXT_KEY = TableSchema.parse(
            "CREATE TABLE `t` (`a` int NOT NULL, `b` varchar(8) NOT NULL, `v` int, PRIMARY KEY (`b`,`a`)) DEFAULT CHARSET=utf8mb4");
    static final TableSchema NO_KEY = TableSchema.parse("CREATE TABLE `t` (`a` int, `b` varchar(8))");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"int", "text", "none"})
    void aMergeBeyondItsMemoryWritesWhatTheMergeInMemoryWrites(String kind) throws IOException {
        TableSchema schema = kind.equals("int") ? INT_KEY : kind.equals("text") ? TEXT_KEY : NO_KEY;
        for (long seed = 1; seed <= 4; seed++) {
            Random random = new Random(seed);
            Map<Object, Map<String, SqlValue>> table = new LinkedHashMap<>();
            List<Map<String, SqlValue>> keyless = new ArrayList<>();
            StringBuilder baseline = new StringBuilder();
            int baselineRows = 2000;
            for (int i = 0; i < baselineRows; i++) {
                Map<String, SqlValue> row = row(schema, random, i);
                if (schema == NO_KEY) {
                    keyless.add(row);
                } else {
                    table.put(key(schema, row), row);
                }
                baseline.append(i == 0 ? "" : ",\n").append(tuple(schema, row));
            }
            List<RowChange> changes = new ArrayList<>();
            int nextId = baselineRows;
            for (int i = 0; i < 4000; i++) {
                int what = random.nextInt(10);
                long seq = i + 1;
                if (schema == NO_KEY) {
                    if (what < 4 || keyless.isEmpty()) {
                        Map<String, SqlValue> row = row(schema, random, random.nextInt(50));
                        keyless.add(row);
                        changes.add(RowChange.insert(row).at(seq));
                    } else if (what < 7) {
                        Map<String, SqlValue> before = keyless.remove(random.nextInt(keyless.size()));
                        Map<String, SqlValue> after = row(schema, random, random.nextInt(50));
                        keyless.add(after);
                        changes.add(RowChange.update(before, after).at(seq));
                    } else {
                        changes.add(RowChange.delete(keyless.remove(random.nextInt(keyless.size()))).at(seq));
                    }
                    continue;
                }
                List<Object> keys = new ArrayList<>(table.keySet());
                if (what < 3 || keys.isEmpty()) {
                    Map<String, SqlValue> row = row(schema, random, nextId++);
                    table.put(key(schema, row), row);
                    changes.add(RowChange.insert(row).at(seq));
                } else if (what < 6) {
                    Object k = keys.get(random.nextInt(keys.size()));
                    Map<String, SqlValue> before = table.get(k);
                    Map<String, SqlValue> after = new LinkedHashMap<>(row(schema, random, 0));
                    for (int p : schema.primaryKeyPositions()) {
                        String c = schema.columns().get(p).name();
                        after.put(c, before.get(c)); // same key
                    }
                    table.put(k, after);
                    changes.add(RowChange.update(before, after).at(seq));
                } else if (what < 7) {
                    Object k = keys.get(random.nextInt(keys.size()));
                    Map<String, SqlValue> before = table.remove(k);
                    Map<String, SqlValue> after = row(schema, random, nextId++); // the key moves
                    table.put(key(schema, after), after);
                    changes.add(RowChange.update(before, after).at(seq));
                } else {
                    Object k = keys.get(random.nextInt(keys.size()));
                    changes.add(RowChange.delete(table.remove(k)).at(seq));
                }
            }
            DataFile file = file(baseline.toString());
            TableMergerTest.Collect inMemory = new TableMergerTest.Collect(schema);
            MergeResult expected = new TableMerger(schema).merge(schema, List.of(file), changes.iterator(), inMemory);
            // 1 byte: every level spills, down to the last, which merges in memory whatever it holds
            for (long budget : seed == 1 ? new long[] {1, 20_000, 400_000} : new long[] {20_000, 400_000}) {
                Path spill = tmp.resolve("spill-" + budget);
                TableMergerTest.Collect spilled = new TableMergerTest.Collect(schema);
                MergeResult got = new TableMerger(schema, new MergeMemory(budget, spill))
                        .merge(schema, List.of(file), changes.iterator(), spilled);
                String what = kind + " key, seed " + seed + ", budget " + budget;
                assertEquals(sorted(inMemory.rows), sorted(spilled.rows), what);
                assertEquals(expected, got, what);
                if (budget < 400_000) {
                    assertTrue(Files.isDirectory(spill), what + ": the merge did not spill");
                }
                try (Stream<Path> left = Files.list(spill)) {
                    assertEquals(List.of(), left.toList(), what + ": spill files left");
                }
            }
            // the merge in memory is itself right: it equals the table the changes made
            List<String> truth = new ArrayList<>();
            TableMergerTest.Collect expectedRows = new TableMergerTest.Collect(schema);
            for (Map<String, SqlValue> r : schema == NO_KEY ? keyless : new ArrayList<>(table.values())) {
                expectedRows.row(values(schema, r));
            }
            truth.addAll(expectedRows.rows);
            assertEquals(sorted(truth), sorted(inMemory.rows), kind + " key, seed " + seed + ": the merge in memory");
            assertTrue(expected.changesApplied() == changes.size());
        }
    }

    private static List<String> sorted(List<String> rows) {
        List<String> copy = new ArrayList<>(rows);
        copy.sort(null);
        return copy;
    }

    private static Object key(TableSchema schema, Map<String, SqlValue> row) {
        List<SqlValue> k = new ArrayList<>();
        for (int p : schema.primaryKeyPositions()) {
            k.add(row.get(schema.columns().get(p).name()));
        }
        return k;
    }

    private static SqlValue[] values(TableSchema schema, Map<String, SqlValue> row) {
        SqlValue[] v = new SqlValue[schema.columns().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = schema.columns().get(i).type().canonical(row.get(schema.columns().get(i).name()));
        }
        return v;
    }

    private static String tuple(TableSchema schema, Map<String, SqlValue> row) {
        SqlLiteralBuilder b = new SqlLiteralBuilder(64);
        b.raw((byte) '(');
        SqlValue[] v = values(schema, row);
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b.raw((byte) ',');
            }
            v[i].appendLiteral(b);
        }
        b.raw((byte) ')');
        return new String(b.buffer(), 0, b.length(), StandardCharsets.ISO_8859_1);
    }

    private static final String[] WORDS = {"anchor", "buoy", "it's", "back\\sl", "ünï", "", "x,y", "(p)"};

    private static Map<String, SqlValue> row(TableSchema schema, Random random, int id) {
        Map<String, SqlValue> row = new HashMap<>();
        if (schema == INT_KEY) {
            row.put("id", SqlValue.integer(id));
            row.put("v", random.nextInt(5) == 0 ? SqlValue.NULL : SqlValue.text(WORDS[random.nextInt(WORDS.length)], StandardCharsets.UTF_8));
            row.put("d", new SqlValue.Decimal(java.math.BigDecimal.valueOf(random.nextInt(100000), 2)));
            row.put("f", new SqlValue.Real(random.nextInt(1000) / 8.0, false));
            byte[] blob = new byte[random.nextInt(40)];
            random.nextBytes(blob);
            row.put("b", new SqlValue.Binary(blob));
            row.put("j", new SqlValue.Json("{\"n\": " + random.nextInt(9) + ", \"s\": \"q\\\"\"}"));
            row.put("ts", new SqlValue.Temporal("2026-12-0" + (1 + random.nextInt(5)) + " 10:11:12"));
        } else if (schema == TEXT_KEY) {
            row.put("a", SqlValue.integer(id % 97));
            row.put("b", SqlValue.text("k" + id, StandardCharsets.UTF_8));
            row.put("v", SqlValue.integer(random.nextInt(1000)));
        } else {
            row.put("a", SqlValue.integer(id % 7));
            row.put("b", SqlValue.text(WORDS[random.nextInt(WORDS.length)], StandardCharsets.UTF_8));
        }
        return row;
    }

    private static DataFile file(String tuples) {
        return new DataFile() {
            @Override
            public String name() {
                return "baseline.sql";
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(("/*!40101 SET NAMES binary*/;\nINSERT INTO `t` VALUES\n" + tuples + ";\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
        };
    }
}
