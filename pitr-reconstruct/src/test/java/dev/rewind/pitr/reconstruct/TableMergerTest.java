package dev.rewind.pitr.reconstruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TableMergerTest {
    static final TableSchema KV = TableSchema.parse(
            "CREATE TABLE `kv` (`id` int NOT NULL, `v` varchar(20), PRIMARY KEY (`id`)) DEFAULT CHARSET=utf8mb4");
    static final TableSchema COMP = TableSchema.parse(
            "CREATE TABLE `comp` (`a` int NOT NULL, `b` varchar(5) NOT NULL, `c` int, PRIMARY KEY (`b`,`a`))");
    static final TableSchema NOPK = TableSchema.parse("CREATE TABLE `np` (`a` int, `b` varchar(5))");

    /** Rows written by the merger, decoded back (raw rows parsed as a dump would be). */
    static final class Collect implements RowSink {
        final TableSchema schema;
        final List<String> rows = new ArrayList<>();
        int raw;

        Collect(TableSchema schema) {
            this.schema = schema;
        }

        @Override
        public void rawRow(byte[] buf, int off, int len) throws IOException {
            raw++;
            add(new String(buf, off, len, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void row(SqlValue[] values) throws IOException {
            SqlLiteralBuilder b = new SqlLiteralBuilder(64);
            b.raw((byte) '(');
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    b.raw((byte) ',');
                }
                values[i].appendLiteral(b);
            }
            b.raw((byte) ')');
            add(new String(b.buffer(), 0, b.length(), StandardCharsets.ISO_8859_1));
        }

        private void add(String tuple) throws IOException {
            for (SqlValue[] r : DumpRowReaderTest.readAll(schema, new ByteArrayInputStream(
                    ("INSERT INTO `x` VALUES " + tuple + ";").getBytes(StandardCharsets.ISO_8859_1)))) {
                rows.add(Arrays.stream(r).map(v -> v instanceof SqlValue.Text t
                        ? "'" + new String(t.bytes(), StandardCharsets.UTF_8) + "'" : v.toString())
                        .collect(Collectors.joining(",")));
            }
        }
    }

    static DataFile file(String tuples) {
        return new DataFile() {
            @Override
            public String name() {
                return "mem.sql";
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(("/*!40101 SET NAMES binary*/;\nINSERT INTO `t` VALUES\n" + tuples + ";\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    static Map<String, SqlValue> kv(int id, String v) {
        Map<String, SqlValue> m = new LinkedHashMap<>();
        m.put("id", SqlValue.integer(id));
        m.put("v", v == null ? SqlValue.NULL : SqlValue.text(v, StandardCharsets.UTF_8));
        return m;
    }

    static Map<String, SqlValue> np(Integer a, String b) {
        Map<String, SqlValue> m = new LinkedHashMap<>();
        m.put("a", a == null ? SqlValue.NULL : SqlValue.integer(a));
        m.put("b", b == null ? SqlValue.NULL : SqlValue.text(b, StandardCharsets.UTF_8));
        return m;
    }

    static MergeResult merge(TableSchema s, List<DataFile> base, List<RowChange> changes, Collect out) throws IOException {
        return new TableMerger(s).merge(s, base, changes.iterator(), out);
    }

    @Test
    void lastImagePerKeyWinsDeletesRemoveAndNewKeysAreAdded() throws IOException {
        Collect out = new Collect(KV);
        MergeResult r = merge(KV, List.of(file("(1,'one'),(2,'two'),(3,'three')"), file("(4,'four')")), List.of(
                RowChange.update(kv(1, "one"), kv(1, "uno")),
                RowChange.update(kv(1, "uno"), kv(1, "eins")),
                RowChange.delete(kv(2, "two")),
                RowChange.insert(kv(5, "five")),
                RowChange.update(kv(5, "five"), kv(5, "fünf"))), out);
        assertEquals(List.of("1,'eins'", "3,'three'", "4,'four'", "5,'fünf'"), out.rows);
        assertEquals(4, r.baselineRows());
        assertEquals(5, r.changesApplied());
        assertEquals(2, r.rowsKeptAsIs());
        assertEquals(1, r.rowsReplaced());
        assertEquals(1, r.rowsDeleted());
        assertEquals(1, r.rowsAdded());
        assertEquals(4, r.rowsWritten());
        assertEquals(3, r.changedKeys());
        assertEquals("primary key (`id`)", r.matchedOn());
        assertEquals(List.of(), r.warnings());
        assertEquals(2, out.raw, "unchanged rows are copied as they were read");
    }

    @Test
    void aDeletedKeyThatIsInsertedAgainIsPresentWithItsNewImage() throws IOException {
        Collect out = new Collect(KV);
        merge(KV, List.of(file("(1,'a'),(2,'b')")), List.of(
                RowChange.delete(kv(1, "a")),
                RowChange.insert(kv(1, "again")),
                RowChange.insert(kv(7, "tmp")),
                RowChange.delete(kv(7, "tmp"))), out);
        assertEquals(List.of("1,'again'", "2,'b'"), out.rows);
    }

    @Test
    void anUpdateThatChangesThePrimaryKeyMovesTheRow() throws IOException {
        Collect out = new Collect(KV);
        MergeResult r = merge(KV, List.of(file("(1,'a'),(2,'b')")), List.of(
                RowChange.update(kv(1, "a"), kv(10, "a")),
                RowChange.update(kv(2, "b"), kv(1, "b moved to 1"))), out);
        assertEquals(List.of("1,'b moved to 1'", "10,'a'"), out.rows);
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void compositeKeysMatchOnAllTheirColumns() throws IOException {
        Collect out = new Collect(COMP);
        Map<String, SqlValue> before = new LinkedHashMap<>();
        before.put("a", SqlValue.integer(1));
        before.put("b", SqlValue.text("k2", StandardCharsets.UTF_8));
        before.put("c", SqlValue.integer(30));
        Map<String, SqlValue> after = new LinkedHashMap<>(before);
        after.put("c", SqlValue.integer(31));
        merge(COMP, List.of(file("(1,'k1',10),(2,'k1',20),(1,'k2',30)")), List.of(RowChange.update(before, after)), out);
        assertEquals(List.of("1,'k1',10", "2,'k1',20", "1,'k2',31"), out.rows);
    }

    @Test
    void anEmptyBaselineGivesJustTheInsertedRows() throws IOException {
        Collect out = new Collect(KV);
        MergeResult r = merge(KV, List.of(), List.of(RowChange.insert(kv(1, "x")), RowChange.insert(kv(2, null))), out);
        assertEquals(List.of("1,'x'", "2,NULL"), out.rows);
        assertEquals(0, r.baselineRows());
    }

    @Test
    void noChangesCopiesTheBaselineByteForByte() throws IOException {
        Collect out = new Collect(KV);
        MergeResult r = merge(KV, List.of(file("(1,'a\\'b'),(2,NULL)")), List.of(), out);
        assertEquals(List.of("1,'a'b'", "2,NULL"), out.rows);
        assertEquals(2, out.raw);
        assertEquals(2, r.rowsKeptAsIs());
    }

    @Test
    void changesThatContradictTheBaselineAreAppliedAndReported() throws IOException {
        Collect out = new Collect(KV);
        MergeResult r = merge(KV, List.of(file("(1,'a')")), List.of(
                RowChange.insert(kv(1, "dup")),
                RowChange.update(kv(9, "ghost"), kv(9, "ghost2")),
                RowChange.delete(kv(8, "never"))), out);
        assertEquals(List.of("1,'dup'", "9,'ghost2'"), out.rows);
        assertEquals(2, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).startsWith("1 key(s) inserted"));
        assertTrue(r.warnings().get(1).startsWith("2 key(s) updated or deleted"));
    }

    @Test
    void withoutPrimaryKeyFullRowsMatchWithMultisetSemantics() throws IOException {
        Collect out = new Collect(NOPK);
        MergeResult r = merge(NOPK, List.of(file("(1,'x'),(1,'x'),(2,NULL),(3,'y')")), List.of(
                RowChange.delete(np(1, "x")),            // removes one of the two identical rows
                RowChange.update(np(2, null), np(2, "z")),
                RowChange.insert(np(3, "y")),            // a second copy
                RowChange.insert(np(4, "w")),
                RowChange.delete(np(4, "w"))), out);
        assertEquals(List.of("1,'x'", "3,'y'", "2,'z'", "3,'y'"), out.rows);
        assertEquals(MergeResult.NO_PRIMARY_KEY, r.matchedOn());
        assertTrue(r.matchedOnFullRows());
        assertEquals(2, r.rowsDeleted());
        assertEquals(2, r.rowsAdded());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void withoutPrimaryKeyADeleteOfAMissingRowIsReported() throws IOException {
        Collect out = new Collect(NOPK);
        MergeResult r = merge(NOPK, List.of(file("(1,'x')")), List.of(RowChange.delete(np(5, "q"))), out);
        assertEquals(List.of("1,'x'"), out.rows);
        assertEquals(List.of("1 deleted or updated row(s) matched no identical row in the baseline"), r.warnings());
    }

    @Test
    void imagesAreComparedInCanonicalFormWhateverTheirSpelling() throws IOException {
        TableSchema s = TableSchema.parse("CREATE TABLE `t` (`k` char(4) NOT NULL, `d` decimal(6,2), `f` float,"
                + " `ts` timestamp(3) NULL, PRIMARY KEY (`k`))");
        Collect out = new Collect(s);
        Map<String, SqlValue> before = new LinkedHashMap<>();
        before.put("K", SqlValue.text("ab  ", StandardCharsets.UTF_8)); // column name case and CHAR padding differ
        before.put("d", new SqlValue.Decimal(new java.math.BigDecimal("1.5")));
        before.put("f", new SqlValue.Real(0.1, false));
        before.put("ts", new SqlValue.Temporal("2024-01-01T00:00:00Z"));
        Map<String, SqlValue> after = new LinkedHashMap<>(before);
        after.put("d", new SqlValue.Decimal(new java.math.BigDecimal("2")));
        MergeResult r = merge(s, List.of(file("(\"ab\",1.50,0.1,\"2024-01-01 00:00:00.000\")")),
                List.of(RowChange.update(before, after)), out);
        assertEquals(1, r.rowsReplaced());
        assertEquals(List.of("'ab',2,0.1,2024-01-01 00:00:00.000"), out.rows);
    }

    @Test
    void anImageWithoutEveryColumnOrABaselineWithOtherColumnsIsRefused() {
        Map<String, SqlValue> partial = new LinkedHashMap<>();
        partial.put("id", SqlValue.integer(1));
        assertThrows(IllegalArgumentException.class,
                () -> merge(KV, List.of(), List.of(RowChange.insert(partial)), new Collect(KV)));
        TableSchema other = TableSchema.parse("CREATE TABLE `kv` (`id` int NOT NULL, `w` int, PRIMARY KEY (`id`))");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TableMerger(KV)
                .merge(other, List.of(), List.<RowChange>of().iterator(), new Collect(KV)));
        assertTrue(e.getMessage().contains("after the last schema change known"), e.getMessage());
    }

    @Test
    void memoryHoldsOnlyTheChangedKeys() throws IOException {
        // 200k baseline rows streamed through, 3 changed keys held
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.append(i == 0 ? "" : ",").append('(').append(i).append(",'v").append(i).append("')");
        }
        DataFile big = file(sb.toString());
        long[] count = {0};
        RowSink counting = new RowSink() {
            @Override
            public void rawRow(byte[] buf, int off, int len) {
                count[0]++;
            }

            @Override
            public void row(SqlValue[] values) {
                count[0]++;
            }
        };
        Iterator<RowChange> changes = List.of(RowChange.delete(kv(5, "v5")), RowChange.update(kv(6, "v6"), kv(6, "x")),
                RowChange.insert(kv(300_000, "new"))).iterator();
        MergeResult r = new TableMerger(KV).merge(KV, List.of(big), changes, counting);
        assertEquals(200_000, count[0]);
        assertEquals(3, r.changedKeys());
    }
}
