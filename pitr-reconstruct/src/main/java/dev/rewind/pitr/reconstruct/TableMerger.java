package dev.rewind.pitr.reconstruct;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Merges one table: the baseline rows (streamed from the dump's data files, never all in memory)
 * with the row changes after the baseline position up to and including the target.
 *
 * <p>With a primary key: the changes are folded first into one entry per touched key (the last
 * image wins, a delete or a key-changing update leaves a tombstone); then the baseline is streamed
 * and each row is copied as it is, replaced by its key's last image, or dropped; keys the baseline
 * did not have are added at the end. Memory is bounded by the number of changed keys.
 *
 * <p>Without a primary key the full row is the key, with multiset semantics: an insert adds one
 * copy, a delete removes one identical row, an update removes its before image and adds its after
 * image. The result says so ({@link MergeResult#NO_PRIMARY_KEY}).
 */
public final class TableMerger {
    private final TableSchema schema;
    private final int[] pk;

    /** @param schema the table as it must be written (its columns, types and primary key) */
    public TableMerger(TableSchema schema) {
        this.schema = schema;
        this.pk = schema.primaryKeyPositions();
        for (int p : pk) {
            if (schema.columns().get(p).generated()) {
                throw new IllegalArgumentException("the primary key of " + schema.name() + " holds the generated column "
                        + schema.columns().get(p).name() + ": a backup leaves generated values out, so its rows cannot be matched");
            }
        }
    }

    /**
     * Merges and writes every resulting row to {@code sink}.
     *
     * @param baselineSchema the table's schema in the baseline dump; must have the same columns in
     *                       the same order as the target schema
     * @param baseline       the baseline data files of the table in order (may be empty)
     * @param changes        row changes ordered by binlog position (may be empty)
     */
    public MergeResult merge(TableSchema baselineSchema, List<DataFile> baseline, Iterator<RowChange> changes,
                             RowSink sink) throws IOException {
        return merge(SchemaEvolution.none(baselineSchema), baseline, changes, RowFate.NONE, sink);
    }

    /**
     * Merges and writes every resulting row to {@code sink}.
     *
     * @param evolution the table's shapes from the baseline's (its first) to the target's (its last, with the target
     *                  schema's columns): baseline rows are carried through it
     * @param baseline  the baseline data files of the table in order (may be empty)
     * @param changes   row changes ordered by binlog position, images in the target's columns, each with its binlog
     *                  place when {@code fate} is not {@link RowFate#NONE}
     * @param fate      what the server did to rows without row events (cascades, TRUNCATE)
     */
    public MergeResult merge(SchemaEvolution evolution, List<DataFile> baseline, Iterator<RowChange> changes, RowFate fate,
                             RowSink sink) throws IOException {
        if (!schema.sameColumnsAs(evolution.last())) {
            throw new IllegalArgumentException("table " + schema.name() + " has columns " + names(schema)
                    + " at the target but " + names(evolution.last()) + " after the last schema change known before it"
                    + (evolution.isNone() ? " (in the baseline)" : "") + ": the change between them is not in the index");
        }
        Rows rows = new Rows(evolution, fate);
        return pk.length > 0 ? mergeByKey(baseline, changes, rows, sink) : mergeFullRows(baseline, changes, rows, sink);
    }

    /** How baseline rows reach the target: as they are (copied raw), or carried through schema changes and fates. */
    private final class Rows {
        final SchemaEvolution evolution;
        final RowFate fate;
        final TableSchema readAs;
        final boolean raw;

        Rows(SchemaEvolution evolution, RowFate fate) {
            this.evolution = evolution;
            this.fate = fate;
            this.readAs = evolution.isNone() ? schema : evolution.first();
            this.raw = evolution.isNone() && fate.isNone();
        }

        SqlValue[] target(RawRow row) {
            SqlValue[] values = row.values();
            return evolution.isNone() ? values : evolution.forwardFromBaseline(values);
        }
    }

    private static List<String> names(TableSchema s) {
        return s.columns().stream().map(Column::name).collect(Collectors.toList());
    }

    /** The fold of all changes to one primary key. */
    private static final class Pending {
        SqlValue[] image; // null: the key is deleted
        final boolean expectInBaseline;
        boolean matched;
        long seq; // the binlog place of the last change to the key

        Pending(SqlValue[] image, boolean expectInBaseline) {
            this.image = image;
            this.expectInBaseline = expectInBaseline;
        }
    }

    /**
     * The changed keys. A single integer primary key (the common case) is indexed by its 64-bit
     * value in an open-addressing table, so a baseline row is looked up without decoding
     * anything but the key's digits and without allocating; other keys use a HashMap.
     */
    private final class KeyIndex {
        private final boolean integerKey;
        private final Map<Object, Pending> byObject = new HashMap<>();
        private final List<Pending> inOrder = new ArrayList<>();
        private long[] keys = new long[1024];
        private Pending[] slots = new Pending[1024];
        private int size;
        /** One bit per hash of the integer keys, ~16 bits per key: most baseline rows miss here, in cache. */
        private long[] filter;
        private int filterShift;

        KeyIndex() {
            ColumnType.Kind k = schema.columns().get(pk[0]).type().kind();
            integerKey = pk.length == 1 && (k == ColumnType.Kind.INT || k == ColumnType.Kind.YEAR);
        }

        int size() {
            return inOrder.size();
        }

        List<Pending> inOrder() {
            return inOrder;
        }

        Pending get(SqlValue[] row) {
            return integerKey ? getLong(((SqlValue.Int) row[pk[0]]).value()) : byObject.get(key(row));
        }

        Pending get(RawRow row) {
            if (integerKey) {
                long v = row.longValue(pk[0]);
                if (v == RawRow.NOT_A_LONG) {
                    v = ((SqlValue.Int) row.value(pk[0])).value();
                }
                if (filter != null) {
                    int h = (int) ((v * 0xC2B2AE3D27D4EB4FL) >>> filterShift);
                    if ((filter[h >>> 6] & (1L << h)) == 0) {
                        return null;
                    }
                }
                return getLong(v);
            }
            return byObject.get(rowKey(row));
        }

        /** Called once all changes are folded in, before the baseline is streamed. */
        void seal() {
            if (!integerKey || size == 0) {
                return;
            }
            int bits = Math.max(10, Math.min(27, 64 - Long.numberOfLeadingZeros((long) size * 16 - 1)));
            filter = new long[Math.max(1, (1 << bits) >>> 6)];
            filterShift = 64 - bits;
            for (int i = 0; i < keys.length; i++) {
                if (slots[i] != null) {
                    int h = (int) ((keys[i] * 0xC2B2AE3D27D4EB4FL) >>> filterShift);
                    filter[h >>> 6] |= 1L << h;
                }
            }
        }

        void put(SqlValue[] row, Pending p) {
            inOrder.add(p);
            if (integerKey) {
                putLong(((SqlValue.Int) row[pk[0]]).value(), p);
            } else {
                byObject.put(key(row), p);
            }
        }

        private int slot(long k) {
            return (int) ((k * 0x9E3779B97F4A7C15L) >>> 40) & (keys.length - 1);
        }

        private Pending getLong(long k) {
            for (int i = slot(k); ; i = (i + 1) & (keys.length - 1)) {
                Pending p = slots[i];
                if (p == null) {
                    return null;
                }
                if (keys[i] == k) {
                    return p;
                }
            }
        }

        private void putLong(long k, Pending p) {
            if ((size + 1) * 2 > keys.length) {
                long[] oldKeys = keys;
                Pending[] oldSlots = slots;
                keys = new long[oldKeys.length * 2];
                slots = new Pending[oldKeys.length * 2];
                size = 0;
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldSlots[i] != null) {
                        putLong(oldKeys[i], oldSlots[i]);
                    }
                }
            }
            for (int i = slot(k); ; i = (i + 1) & (keys.length - 1)) {
                if (slots[i] == null) {
                    keys[i] = k;
                    slots[i] = p;
                    size++;
                    return;
                }
                if (keys[i] == k) {
                    slots[i] = p;
                    return;
                }
            }
        }
    }

    private MergeResult mergeByKey(List<DataFile> baseline, Iterator<RowChange> changes, Rows rows, RowSink sink)
            throws IOException {
        KeyIndex pending = new KeyIndex();
        long applied = 0;
        while (changes.hasNext()) {
            RowChange ch = changes.next();
            applied++;
            switch (ch.op()) {
                case INSERT -> {
                    SqlValue[] after = toRow(ch.after(), applied, "after");
                    Pending p = pending.get(after);
                    if (p == null) {
                        p = new Pending(after, false);
                        pending.put(after, p);
                    } else {
                        p.image = after;
                    }
                    p.seq = ch.seq();
                }
                case DELETE -> {
                    SqlValue[] before = toRow(ch.before(), applied, "before");
                    Pending p = pending.get(before);
                    if (p == null) {
                        p = new Pending(null, true);
                        pending.put(before, p);
                    } else {
                        p.image = null;
                    }
                    p.seq = ch.seq();
                }
                case UPDATE -> {
                    SqlValue[] before = toRow(ch.before(), applied, "before");
                    SqlValue[] after = toRow(ch.after(), applied, "after");
                    boolean sameKey = key(before).equals(key(after));
                    if (!sameKey) {
                        Pending pb = pending.get(before);
                        if (pb == null) {
                            pb = new Pending(null, true);
                            pending.put(before, pb);
                        } else {
                            pb.image = null;
                        }
                        pb.seq = ch.seq();
                    }
                    Pending pa = pending.get(after);
                    if (pa == null) {
                        pa = new Pending(after, sameKey);
                        pending.put(after, pa);
                    } else {
                        pa.image = after;
                    }
                    pa.seq = ch.seq();
                }
            }
        }
        pending.seal();
        if (!rows.fate.isNone()) {
            for (Pending p : pending.inOrder()) {
                if (p.image != null) {
                    p.image = rows.fate.apply(p.image, p.seq);
                }
            }
        }
        long changedKeys = pending.size();
        boolean none = changedKeys == 0;
        long read = 0, kept = 0, replaced = 0, deleted = 0, added = 0, written = 0;
        long insertedButPresent = 0;
        for (DataFile f : baseline) {
            try (DumpRowReader r = DumpRowReader.open(f.open(), rows.readAs, f.name())) {
                while (r.next()) {
                    read++;
                    RawRow row = r.row();
                    SqlValue[] values = null;
                    Pending p;
                    if (rows.raw) {
                        p = none ? null : pending.get(row);
                    } else {
                        values = rows.target(row);
                        p = none ? null : pending.get(values);
                    }
                    if (p == null || p.matched) {
                        if (rows.raw && row.inOutputOrder()) {
                            sink.rawRow(row.buffer(), row.start(), row.length());
                        } else if (rows.raw) {
                            sink.row(row.values());
                        } else {
                            SqlValue[] out = rows.fate.apply(values, RowFate.BASELINE);
                            if (out == null) {
                                deleted++;
                                continue;
                            }
                            sink.row(out);
                        }
                        kept++;
                        written++;
                        continue;
                    }
                    p.matched = true;
                    if (!p.expectInBaseline) {
                        insertedButPresent++;
                    }
                    if (p.image == null) {
                        deleted++;
                    } else {
                        sink.row(p.image);
                        replaced++;
                        written++;
                    }
                }
            }
        }
        long missing = 0;
        for (Pending p : pending.inOrder()) {
            if (p.matched) {
                continue;
            }
            if (p.expectInBaseline) {
                missing++;
            }
            if (p.image != null) {
                sink.row(p.image);
                added++;
                written++;
            }
        }
        List<String> warnings = new ArrayList<>();
        if (insertedButPresent > 0) {
            warnings.add(insertedButPresent + " key(s) inserted after the baseline were already in the baseline");
        }
        if (missing > 0) {
            warnings.add(missing + " key(s) updated or deleted after the baseline were not in the baseline");
        }
        String on = "primary key (" + schema.primaryKey().stream().map(c -> "`" + c + "`")
                .collect(Collectors.joining(", ")) + ")";
        return new MergeResult(schema.name(), on, read, applied, written, kept, replaced, deleted, added,
                changedKeys, warnings);
    }

    private MergeResult mergeFullRows(List<DataFile> baseline, Iterator<RowChange> changes, Rows rows, RowSink sink)
            throws IOException {
        Map<RowKey, long[]> net = new LinkedHashMap<>(); // count, binlog place of the last copy added
        long applied = 0;
        while (changes.hasNext()) {
            RowChange ch = changes.next();
            applied++;
            if (ch.before() != null) {
                net.computeIfAbsent(new RowKey(toRow(ch.before(), applied, "before")), k -> new long[2])[0]--;
            }
            if (ch.after() != null) {
                long[] c = net.computeIfAbsent(new RowKey(toRow(ch.after(), applied, "after")), k -> new long[2]);
                c[0]++;
                c[1] = ch.seq();
            }
        }
        net.values().removeIf(c -> c[0] == 0);
        long changedRows = net.size();
        boolean anyRemoval = net.values().stream().anyMatch(c -> c[0] < 0);
        long read = 0, kept = 0, deleted = 0, added = 0, written = 0;
        for (DataFile f : baseline) {
            try (DumpRowReader r = DumpRowReader.open(f.open(), rows.readAs, f.name())) {
                while (r.next()) {
                    read++;
                    RawRow row = r.row();
                    SqlValue[] values = rows.raw && !anyRemoval ? null : rows.target(row);
                    if (anyRemoval) {
                        long[] c = net.get(new RowKey(values));
                        if (c != null && c[0] < 0) {
                            c[0]++;
                            deleted++;
                            continue;
                        }
                    }
                    if (rows.raw && row.inOutputOrder()) {
                        sink.rawRow(row.buffer(), row.start(), row.length());
                    } else if (rows.raw) {
                        sink.row(row.values());
                    } else {
                        SqlValue[] out = rows.fate.apply(values, RowFate.BASELINE);
                        if (out == null) {
                            deleted++;
                            continue;
                        }
                        sink.row(out);
                    }
                    kept++;
                    written++;
                }
            }
        }
        long unmatched = 0;
        for (Map.Entry<RowKey, long[]> e : net.entrySet()) {
            long c = e.getValue()[0];
            SqlValue[] out = c > 0 ? rows.fate.apply(e.getKey().values, e.getValue()[1]) : null;
            for (long i = 0; i < c && out != null; i++) {
                sink.row(out);
                added++;
                written++;
            }
            if (c < 0) {
                unmatched -= c;
            }
        }
        List<String> warnings = new ArrayList<>();
        if (unmatched > 0) {
            warnings.add(unmatched + " deleted or updated row(s) matched no identical row in the baseline");
        }
        return new MergeResult(schema.name(), MergeResult.NO_PRIMARY_KEY, read, applied, written, kept, 0,
                deleted, added, changedRows, warnings);
    }

    private Object rowKey(RawRow row) {
        if (pk.length == 1) {
            return row.value(pk[0]);
        }
        SqlValue[] k = new SqlValue[pk.length];
        for (int i = 0; i < pk.length; i++) {
            k[i] = row.value(pk[i]);
        }
        return new RowKey(k);
    }

    private Object key(SqlValue[] row) {
        if (pk.length == 1) {
            return row[pk[0]];
        }
        SqlValue[] k = new SqlValue[pk.length];
        for (int i = 0; i < pk.length; i++) {
            k[i] = row[pk[i]];
        }
        return new RowKey(k);
    }

    /** An image as canonical values in column order; every column must be present. */
    private SqlValue[] toRow(Map<String, SqlValue> image, long changeNo, String which) {
        List<Column> cols = schema.columns();
        SqlValue[] row = new SqlValue[cols.size()];
        Map<String, SqlValue> lower = null;
        for (int i = 0; i < row.length; i++) {
            Column c = cols.get(i);
            if (c.generated()) {
                row[i] = SqlValue.NULL; // the server computes it; MariaDB leaves virtual columns out of row images
                continue;
            }
            SqlValue v = image.get(c.name());
            if (v == null && !image.containsKey(c.name())) {
                if (lower == null) {
                    lower = new HashMap<>();
                    for (Map.Entry<String, SqlValue> e : image.entrySet()) {
                        lower.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
                    }
                }
                String ln = c.name().toLowerCase(Locale.ROOT);
                if (!lower.containsKey(ln)) {
                    throw new IllegalArgumentException("the " + which + " image of change #" + changeNo + " on "
                            + schema.name() + " lacks column " + c.name() + " (full row images are needed)");
                }
                v = lower.get(ln);
            }
            row[i] = c.type().canonical(v);
        }
        if (image.size() > row.length) {
            throw new IllegalArgumentException("the " + which + " image of change #" + changeNo + " on "
                    + schema.name() + " has columns the table lacks: " + image.keySet());
        }
        return row;
    }

    /** A composite key or a full row, compared value by value. */
    static final class RowKey {
        final SqlValue[] values;
        private final int hash;

        RowKey(SqlValue[] values) {
            this.values = values;
            this.hash = Arrays.hashCode(values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k && k.hash == hash && Arrays.equals(values, k.values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
