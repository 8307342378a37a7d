package dev.rewind.pitr.reconstruct;

import dev.rewind.pitr.reconstruct.TableSchema.ForeignKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cascades of a child table's foreign keys: MariaDB and MySQL 8 apply {@code ON DELETE}/{@code ON UPDATE
 * CASCADE | SET NULL} inside the storage engine and write no row events for the child rows they change. Given the
 * deletes and key changes of each referenced (parent) table, in binlog order, this derives what happened to a child
 * row after it was last written: removed, its foreign key columns set to NULL, or re-pointed to the parent's new key,
 * and in that order when several apply (a parent re-keyed, then deleted).
 *
 * <p>Memory: one entry per parent delete or key change after the baseline (the referenced columns only).
 */
public final class Cascades implements RowFate {

    private enum Kind { DELETE, UPDATE }

    /** One parent change at a binlog place: its old referenced values, and for an update its new ones. */
    private record ParentOp(long seq, Kind kind, SqlValue[] to) {
    }

    /** One foreign key with the parent changes that matter to it, by the parent's old referenced values. */
    private static final class Key {
        final ForeignKey fk;
        final int[] columns;
        final ColumnType[] types;
        final Map<TableMerger.RowKey, List<ParentOp>> byValue = new HashMap<>();
        int ops;

        Key(ForeignKey fk, int[] columns, ColumnType[] types) {
            this.fk = fk;
            this.columns = columns;
            this.types = types;
        }

        /** The first change to the parent row the child points at, after {@code seq}; null when none. */
        ParentOp next(SqlValue[] row, long seq) {
            SqlValue[] value = new SqlValue[columns.length];
            for (int i = 0; i < columns.length; i++) {
                value[i] = row[columns[i]];
                if (value[i] instanceof SqlValue.Null) {
                    return null; // MATCH SIMPLE: a NULL in the key refers to nothing
                }
            }
            List<ParentOp> list = byValue.get(new TableMerger.RowKey(value));
            if (list == null) {
                return null;
            }
            int lo = 0;
            int hi = list.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (list.get(mid).seq() <= seq) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < list.size() ? list.get(lo) : null;
        }
    }

    private final TableSchema child;
    private final List<Key> keys = new ArrayList<>();

    /** @param child the child table at the target, with its foreign keys */
    public Cascades(TableSchema child) {
        this.child = child;
    }

    /**
     * The foreign keys of the child that act on changes of {@code parentSchema.parentTable} ({@code childSchema} is
     * the child's own database, the parent's when the key names none).
     */
    public List<ForeignKey> keysTo(String childSchema, String parentSchema, String parentTable) {
        List<ForeignKey> found = new ArrayList<>();
        for (ForeignKey fk : child.foreignKeys()) {
            String schema = fk.referencedSchema() == null ? childSchema : fk.referencedSchema();
            if ((fk.onDelete().changesChildren() || fk.onUpdate().changesChildren())
                    && schema.equalsIgnoreCase(parentSchema) && fk.referencedTable().equalsIgnoreCase(parentTable)) {
                found.add(fk);
            }
        }
        return found;
    }

    /** The child's foreign keys that cascade or set null, to any table. */
    public List<ForeignKey> acting() {
        return child.foreignKeys().stream().filter(fk -> fk.onDelete().changesChildren() || fk.onUpdate().changesChildren())
                .toList();
    }

    /** Starts recording the parent changes of one foreign key; record them in binlog order. */
    public Recorder record(ForeignKey fk) {
        int[] columns = new int[fk.columns().size()];
        ColumnType[] types = new ColumnType[columns.length];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = child.indexOf(fk.columns().get(i));
            if (columns[i] < 0) {
                throw new IllegalArgumentException("foreign key " + fk.name() + " of " + child.name() + " names column "
                        + fk.columns().get(i) + ", which the table lacks");
            }
            types[i] = child.columns().get(columns[i]).type();
        }
        Key key = new Key(fk, columns, types);
        keys.add(key);
        return new Recorder(key);
    }

    /** Takes one foreign key's parent changes, values given in the parent's referenced-column order. */
    public static final class Recorder {
        private final Key key;

        private Recorder(Key key) {
            this.key = key;
        }

        /** The parent row with these referenced values was deleted at {@code seq}. */
        public void deleted(long seq, SqlValue[] referenced) {
            if (key.fk.onDelete().changesChildren()) {
                add(referenced, new ParentOp(seq, Kind.DELETE, null));
            }
        }

        /** The parent row's referenced values changed at {@code seq} (an update that keeps them is no change). */
        public void updated(long seq, SqlValue[] before, SqlValue[] after) {
            SqlValue[] from = canonical(before);
            SqlValue[] to = canonical(after);
            if (Arrays.equals(from, to) || !key.fk.onUpdate().changesChildren()) {
                return;
            }
            add(from, new ParentOp(seq, Kind.UPDATE, to));
        }

        private void add(SqlValue[] referenced, ParentOp op) {
            SqlValue[] value = canonical(referenced);
            for (SqlValue v : value) {
                if (v instanceof SqlValue.Null) {
                    return;
                }
            }
            key.byValue.computeIfAbsent(new TableMerger.RowKey(value), k -> new ArrayList<>(1)).add(op);
            key.ops++;
        }

        private SqlValue[] canonical(SqlValue[] values) {
            SqlValue[] c = new SqlValue[values.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = key.types[i].canonical(values[i]);
            }
            return c;
        }
    }

    /** The child's type of column {@code i} of the foreign key: parent values are read as it. */
    public ColumnType columnType(ForeignKey fk, int i) {
        return child.columns().get(child.indexOf(fk.columns().get(i))).type();
    }

    /** How many parent changes are recorded. */
    public int size() {
        int n = 0;
        for (Key k : keys) {
            n += k.ops;
        }
        return n;
    }

    @Override
    public boolean isNone() {
        return size() == 0;
    }

    @Override
    public SqlValue[] apply(SqlValue[] row, long lastWrite) {
        return trace(row, lastWrite, Long.MAX_VALUE, null);
    }

    /** One thing the server did to a row through a foreign key: at {@code seq}, {@code before} became {@code after}. */
    public interface Step {
        /** @param after the row after it; null when the row was removed */
        void at(long seq, SqlValue[] before, SqlValue[] after);
    }

    /**
     * The row after what the foreign keys did to it in ({@code from}, {@code to}), each step reported to {@code steps}
     * (may be null) in binlog order.
     */
    public SqlValue[] trace(SqlValue[] row, long from, long to, Step steps) {
        SqlValue[] current = row;
        long at = from;
        while (true) {
            ParentOp first = null;
            Key by = null;
            for (Key k : keys) {
                ParentOp op = k.next(current, at);
                if (op != null && op.seq() < to && (first == null || op.seq() < first.seq())) {
                    first = op;
                    by = k;
                }
            }
            if (first == null) {
                return current;
            }
            ForeignKey.Action action = first.kind() == Kind.DELETE ? by.fk.onDelete() : by.fk.onUpdate();
            if (action == ForeignKey.Action.CASCADE && first.kind() == Kind.DELETE) {
                if (steps != null) {
                    steps.at(first.seq(), current, null);
                }
                return null;
            }
            SqlValue[] next = current.clone();
            for (int i = 0; i < by.columns.length; i++) {
                int c = by.columns[i];
                next[c] = switch (action) {
                    case CASCADE -> first.to()[i];
                    case SET_NULL -> SqlValue.NULL;
                    default -> SchemaEvolution.defaultOf(child, c, null);
                };
            }
            if (steps != null) {
                steps.at(first.seq(), current, next);
            }
            current = next;
            at = first.seq();
        }
    }
}
