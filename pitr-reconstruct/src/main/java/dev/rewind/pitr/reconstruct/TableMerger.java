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
 *
 * <p>Memory: the changes of a table are held up to {@link MergeMemory#changeBytes()}. A table with more changes (a
 * mass DELETE, a bulk load, an UPDATE of every row after the baseline) is merged as a grace hash join: changes and
 * baseline rows are split by the hash of their key into {@link ChangeSpill#PARTS} partitions on disk, and each
 * partition is merged alone (split again when it is still too large). Rows of different partitions never share a key,
 * so the result is the same; only the order of the written rows differs.
 */
public final class TableMerger {
    /** Levels of partitioning at most: 64^3 partitions, each beyond its budget then merged in memory as it is. */
    private static final int MAX_SPILL_LEVELS = 3;

    private final TableSchema schema;
    private final int[] pk;
    private final boolean integerKey;
    private final MergeMemory memory;

    /** @param schema the table as it must be written (its columns, types and primary key) */
    public TableMerger(TableSchema schema) {
        this(schema, MergeMemory.defaults());
    }

    /**
     * @param schema the table as it must be written (its columns, types and primary key)
     * @param memory what the table's changes may hold in memory before the merge goes on in partitions on disk
     */
    public TableMerger(TableSchema schema, MergeMemory memory) {
        this.schema = schema;
        this.memory = memory;
        this.pk = schema.primaryKeyPositions();
        ColumnType.Kind kind = pk.length == 1 ? schema.columns().get(pk[0]).type().kind() : null;
        this.integerKey = kind == ColumnType.Kind.INT || kind == ColumnType.Kind.YEAR;
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
        Tally tally = new Tally();
        Iterator<Change> converted = new Iterator<>() {
            long number;

            @Override
            public boolean hasNext() {
                return changes.hasNext();
            }

            @Override
            public Change next() {
                RowChange ch = changes.next();
                number++;
                return new Change(ch.op(), ch.before() == null ? null : toRow(ch.before(), number, "before"),
                        ch.after() == null ? null : toRow(ch.after(), number, "after"), ch.seq());
            }
        };
        long applied = mergeBounded(baseline, converted, rows, sink, tally, 0);
        return pk.length > 0 ? tally.byKey(applied) : tally.fullRows(applied);
    }

    /** A change with its images as canonical values in column order. */
    record Change(RowChange.Op op, SqlValue[] before, SqlValue[] after, long seq) {
    }

    /** The counts of a merge, summed over its partitions when it spilled. */
    private final class Tally {
        long read, written, kept, replaced, deleted, added, changed, insertedButPresent, missing, unmatched;

        MergeResult byKey(long applied) {
            List<String> warnings = new ArrayList<>();
            if (insertedButPresent > 0) {
                warnings.add(insertedButPresent + " key(s) inserted after the baseline were already in the baseline");
            }
            if (missing > 0) {
                warnings.add(missing + " key(s) updated or deleted after the baseline were not in the baseline");
            }
            String on = "primary key (" + schema.primaryKey().stream().map(c -> "`" + c + "`")
                    .collect(Collectors.joining(", ")) + ")";
            return new MergeResult(schema.name(), on, read, applied, written, kept, replaced, deleted, added, changed, warnings);
        }

        MergeResult fullRows(long applied) {
            List<String> warnings = new ArrayList<>();
            if (unmatched > 0) {
                warnings.add(unmatched + " deleted or updated row(s) matched no identical row in the baseline");
            }
            return new MergeResult(schema.name(), MergeResult.NO_PRIMARY_KEY, read, applied, written, kept, 0,
                    deleted, added, changed, warnings);
        }
    }

    /**
     * Merges in memory when the changes fit {@link MergeMemory#changeBytes()}; otherwise splits changes and baseline
     * by key into partitions on disk and merges each alone (again within the budget, up to
     * {@link #MAX_SPILL_LEVELS} levels). Answers how many changes were applied.
     */
    private long mergeBounded(List<DataFile> baseline, Iterator<Change> changes, Rows rows, RowSink sink, Tally tally,
            int level) throws IOException {
        List<Change> held = new ArrayList<>();
        long bytes = 0;
        while (changes.hasNext()) {
            Change ch = changes.next();
            held.add(ch);
            bytes += 48 + ChangeSpill.estimate(ch.before()) + ChangeSpill.estimate(ch.after());
            if (bytes > memory.changeBytes() && level < MAX_SPILL_LEVELS) {
                return spilled(baseline, held, changes, rows, sink, tally, level);
            }
        }
        Iterator<Change> consumed = new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < held.size();
            }

            @Override
            public Change next() {
                Change ch = held.get(next);
                held.set(next++, null); // folded: its memory goes while the rest is folded
                return ch;
            }
        };
        if (pk.length > 0) {
            mergeByKey(baseline, consumed, rows, sink, tally);
        } else {
            mergeFullRows(baseline, consumed, rows, sink, tally);
        }
        return held.size();
    }

    private long spilled(List<DataFile> baseline, List<Change> held, Iterator<Change> rest, Rows rows, RowSink sink,
            Tally tally, int level) throws IOException {
        try (ChangeSpill spill = new ChangeSpill(memory.spillDir(), schema)) {
            long routed = 0;
            for (int i = 0; i < held.size(); i++) {
                route(spill, held.get(i), level);
                held.set(i, null);
                routed++;
            }
            while (rest.hasNext()) {
                route(spill, rest.next(), level);
                routed++;
            }
            for (DataFile f : baseline) {
                try (DumpRowReader r = DumpRowReader.open(f.open(), rows.readAs, f.name())) {
                    while (r.next()) {
                        RawRow row = r.row();
                        spill.writeRow(ChangeSpill.partition(baselineHash(row, rows), level), row);
                    }
                }
            }
            spill.seal();
            long[] unused = new long[1];
            for (int part = 0; part < ChangeSpill.PARTS; part++) {
                mergeBounded(spill.baseline(part), spill.changes(part, unused), rows, sink, tally, level + 1);
                spill.drop(part);
            }
            return routed;
        }
    }

    /** Sends a change to the partition of its key; an update that moves a row to another key goes as a delete and an insert. */
    private void route(ChangeSpill spill, Change ch, int level) throws IOException {
        switch (ch.op()) {
            case INSERT -> spill.writeChange(ChangeSpill.partition(imageHash(ch.after()), level), ch);
            case DELETE -> spill.writeChange(ChangeSpill.partition(imageHash(ch.before()), level), ch);
            case UPDATE -> {
                long before = imageHash(ch.before());
                long after = imageHash(ch.after());
                boolean sameKey = pk.length > 0 ? key(ch.before()).equals(key(ch.after())) : false;
                if (sameKey) {
                    spill.writeChange(ChangeSpill.partition(after, level), ch);
                } else {
                    spill.writeChange(ChangeSpill.partition(before, level),
                            new Change(RowChange.Op.DELETE, ch.before(), null, ch.seq()));
                    spill.writeChange(ChangeSpill.partition(after, level),
                            new Change(RowChange.Op.INSERT, null, ch.after(), ch.seq()));
                }
            }
        }
    }

    /** The hash a row's key is partitioned by: the same for a change's image and the baseline row it matches. */
    private long imageHash(SqlValue[] image) {
        if (pk.length == 0) {
            return new RowKey(image).hashCode();
        }
        return integerKey ? ((SqlValue.Int) image[pk[0]]).value() : key(image).hashCode();
    }

    private long baselineHash(RawRow row, Rows rows) {
        if (pk.length == 0 || !rows.raw) {
            return imageHash(rows.target(row));
        }
        if (integerKey) {
            long v = row.longValue(pk[0]);
            return v == RawRow.NOT_A_LONG ? ((SqlValue.Int) row.value(pk[0])).value() : v;
        }
        return rowKey(row).hashCode();
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
        private final Map<Object, Pending> byObject = new HashMap<>();
        private final List<Pending> inOrder = new ArrayList<>();
        private long[] keys = new long[1024];
        private Pending[] slots = new Pending[1024];
        private int size;
        /** One bit per hash of the integer keys, ~16 bits per key: most baseline rows miss here, in cache. */
        private long[] filter;
        private int filterShift;

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

    private void mergeByKey(List<DataFile> baseline, Iterator<Change> changes, Rows rows, RowSink sink, Tally tally)
            throws IOException {
        KeyIndex pending = new KeyIndex();
        while (changes.hasNext()) {
            Change ch = changes.next();
            switch (ch.op()) {
                case INSERT -> {
                    SqlValue[] after = ch.after();
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
                    SqlValue[] before = ch.before();
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
                    SqlValue[] before = ch.before();
                    SqlValue[] after = ch.after();
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
        tally.read += read;
        tally.written += written;
        tally.kept += kept;
        tally.replaced += replaced;
        tally.deleted += deleted;
        tally.added += added;
        tally.changed += changedKeys;
        tally.insertedButPresent += insertedButPresent;
        tally.missing += missing;
    }

    private void mergeFullRows(List<DataFile> baseline, Iterator<Change> changes, Rows rows, RowSink sink, Tally tally)
            throws IOException {
        Map<RowKey, long[]> net = new LinkedHashMap<>(); // count, binlog place of the last copy added
        while (changes.hasNext()) {
            Change ch = changes.next();
            if (ch.before() != null) {
                net.computeIfAbsent(new RowKey(ch.before()), k -> new long[2])[0]--;
            }
            if (ch.after() != null) {
                long[] c = net.computeIfAbsent(new RowKey(ch.after()), k -> new long[2]);
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
        tally.read += read;
        tally.written += written;
        tally.kept += kept;
        tally.deleted += deleted;
        tally.added += added;
        tally.changed += changedRows;
        tally.unmatched += unmatched;
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
