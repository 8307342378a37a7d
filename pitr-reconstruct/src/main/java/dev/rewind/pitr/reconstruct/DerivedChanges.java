package dev.rewind.pitr.reconstruct;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The changes the server made to a table through its own foreign keys (a parent deleted, so this table's rows were
 * deleted, re-pointed or set to NULL) without writing them: what a table further down the chain (a grandchild, or the
 * same table for a self-referencing tree) must also see as its parent's changes.
 *
 * <p>Every version of every row the table had between the baseline and the target is run through the cascades for the
 * stretch it lived: from its write (or the baseline) to the next change of its key (or the target). Memory: one entry
 * per changed key, like {@link TableMerger}, plus the derived changes.
 */
public final class DerivedChanges {

    /** A derived change, rows in the table's target shape: {@code after} null for a removal. */
    public record Change(long seq, SqlValue[] before, SqlValue[] after) {
    }

    private DerivedChanges() {
    }

    /**
     * @param schema    the table at the target (with a primary key)
     * @param evolution its shapes from the baseline's to the target's
     * @param baseline  its baseline data files
     * @param changes   its own row changes in binlog order, images in the target's columns, with their places
     * @param cascades  what its foreign keys do, with its parents' changes recorded
     * @return the derived changes in binlog order
     */
    public static List<Change> of(TableSchema schema, SchemaEvolution evolution, List<DataFile> baseline,
            Iterator<RowChange> changes, Cascades cascades) throws IOException {
        int[] pk = schema.primaryKeyPositions();
        if (pk.length == 0) {
            throw new IllegalArgumentException("table " + schema.name() + " has no primary key: the cascades it passes on "
                    + "cannot be followed");
        }
        List<Change> derived = new ArrayList<>();
        Cascades.Step record = (seq, before, after) -> derived.add(new Change(seq, before, after));
        Map<TableMerger.RowKey, Object[]> last = new HashMap<>(); // key -> {image or null, seq}
        // keys whose first change inserts them: a baseline row of that key was removed before, by a cascade
        Map<TableMerger.RowKey, Long> insertedFirst = new HashMap<>();
        while (changes.hasNext()) {
            RowChange ch = changes.next();
            if (ch.before() != null) {
                SqlValue[] before = row(schema, ch.before());
                Object[] known = last.get(key(before, pk));
                long from = known == null ? RowFate.BASELINE : (long) known[1];
                cascades.trace(before, from, ch.seq(), record);
                if (ch.after() == null || !key(before, pk).equals(key(row(schema, ch.after()), pk))) {
                    last.put(key(before, pk), new Object[] {null, ch.seq()});
                }
            }
            if (ch.after() != null) {
                SqlValue[] after = row(schema, ch.after());
                TableMerger.RowKey k = key(after, pk);
                if (ch.before() == null && !last.containsKey(k)) {
                    insertedFirst.put(k, ch.seq());
                }
                last.put(k, new Object[] {after, ch.seq()});
            }
        }
        for (Object[] version : last.values()) {
            if (version[0] != null) {
                cascades.trace((SqlValue[]) version[0], (long) version[1], Long.MAX_VALUE, record);
            }
        }
        TableSchema readAs = evolution.isNone() ? schema : evolution.first();
        for (DataFile f : baseline) {
            try (DumpRowReader r = DumpRowReader.open(f.open(), readAs, f.name())) {
                while (r.next()) {
                    SqlValue[] values = r.row().values();
                    SqlValue[] row = evolution.isNone() ? values : evolution.forwardFromBaseline(values);
                    TableMerger.RowKey k = key(row, pk);
                    if (!last.containsKey(k)) {
                        cascades.trace(row, RowFate.BASELINE, Long.MAX_VALUE, record);
                    } else if (insertedFirst.containsKey(k)) {
                        cascades.trace(row, RowFate.BASELINE, insertedFirst.get(k), record);
                    }
                }
            }
        }
        derived.sort(Comparator.comparingLong(Change::seq));
        return derived;
    }

    private static TableMerger.RowKey key(SqlValue[] row, int[] pk) {
        SqlValue[] k = new SqlValue[pk.length];
        for (int i = 0; i < pk.length; i++) {
            k[i] = row[pk[i]];
        }
        return new TableMerger.RowKey(k);
    }

    private static SqlValue[] row(TableSchema schema, Map<String, SqlValue> image) {
        SqlValue[] row = new SqlValue[schema.columnCount()];
        for (int i = 0; i < row.length; i++) {
            Column c = schema.columns().get(i);
            SqlValue v = c.generated() ? SqlValue.NULL : image.get(c.name());
            if (v == null) {
                for (Map.Entry<String, SqlValue> e : image.entrySet()) {
                    if (e.getKey().equalsIgnoreCase(c.name())) {
                        v = e.getValue();
                    }
                }
            }
            row[i] = c.type().canonical(v == null ? SqlValue.NULL : v);
        }
        return row;
    }
}
