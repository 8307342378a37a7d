package dev.rewind.pitr.run;

import dev.rewind.pitr.reconstruct.Cascades;
import dev.rewind.pitr.reconstruct.DerivedChanges;
import dev.rewind.pitr.reconstruct.RowChange;
import dev.rewind.pitr.reconstruct.SchemaEvolution;
import dev.rewind.pitr.reconstruct.SqlValue;
import dev.rewind.pitr.reconstruct.TableSchema;
import java.io.IOException;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The foreign-key actions a PITR run applies to a table: for each key that cascades or sets NULL, its parent's deletes
 * and key changes after the baseline — those in the parent's row events, and those the server made to the parent
 * through the parent's own foreign keys (a grandparent deleted; a self-referencing tree), derived in turn. One per run.
 */
final class CascadeChain {

    /** How many levels of cascades are followed, and how many rounds a self-referencing table gets. */
    private static final int MAX_DEPTH = 16;
    private static final int MAX_ROUNDS = 64;

    /** A parent change in terms of the referenced columns: {@code after} null for a delete. */
    private record Op(long seq, SqlValue[] before, SqlValue[] after) {
    }

    /** What a table is for the chain: its target shape, shapes, where its changes are, its baseline files. */
    record Source(TableSchema target, SchemaEvolution evolution, List<IndexReader.Segment> segments,
            List<dev.rewind.pitr.reconstruct.DataFile> baselineFiles) {
    }

    /** Finds the source of a table by {@code schema.table}; null when the table is not at the target. */
    interface Sources {
        Source of(String qualified) throws Exception;
    }

    private final IndexReader index;
    private final java.util.UUID serverId;
    private final OffsetDateTime notBefore;
    private final OffsetDateTime target;
    private final Sources sources;
    private final Map<String, List<Op>> memo = new HashMap<>();
    private final Set<String> visiting = new HashSet<>();
    final List<String> notes = new ArrayList<>();

    CascadeChain(IndexReader index, java.util.UUID serverId, OffsetDateTime notBefore, OffsetDateTime target, Sources sources) {
        this.index = index;
        this.serverId = serverId;
        this.notBefore = notBefore;
        this.target = target;
        this.sources = sources;
    }

    /** The foreign-key actions on the rows of {@code schema.table} (its target shape {@code child}). */
    synchronized Cascades of(String schema, String table, TableSchema child) throws Exception {
        return cascades(schema, table, child, 0, null);
    }

    private Cascades cascades(String schema, String table, TableSchema child, int depth, List<Op> selfOps) throws Exception {
        Cascades cascades = new Cascades(child);
        for (TableSchema.ForeignKey fk : cascades.acting()) {
            String parentSchema = fk.referencedSchema() == null ? schema : fk.referencedSchema();
            boolean self = parentSchema.equalsIgnoreCase(schema) && fk.referencedTable().equalsIgnoreCase(table);
            List<Op> ops;
            if (self) {
                ops = selfOps != null ? selfOps : changes(schema, table, fk.referencedColumns(), depth);
            } else {
                ops = changes(parentSchema, fk.referencedTable(), fk.referencedColumns(), depth + 1);
            }
            Cascades.Recorder recorder = cascades.record(fk);
            for (Op op : ops) {
                if (op.after() == null) {
                    recorder.deleted(op.seq(), op.before());
                } else {
                    recorder.updated(op.seq(), op.before(), op.after());
                }
            }
        }
        return cascades;
    }

    /** The deletes and key changes of a table (its own and derived), on the given columns, in binlog order. */
    private List<Op> changes(String schema, String table, List<String> columns, int depth) throws Exception {
        String key = (schema + "." + table + ":" + String.join(",", columns)).toLowerCase(Locale.ROOT);
        List<Op> known = memo.get(key);
        if (known != null) {
            return known;
        }
        Source source = sources.of(schema + "." + table);
        if (source == null) {
            return List.of(); // not at the target: no change to it can be after a child row still there
        }
        int[] positions = new int[columns.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = source.target().indexOf(columns.get(i));
            if (positions[i] < 0) {
                throw new IllegalArgumentException("a foreign key references column " + columns.get(i) + " of " + schema + "."
                        + table + ", which the table lacks at the target");
            }
        }
        List<Op> own = new ArrayList<>();
        try (IndexReader.Changes changes = changes(source)) {
            while (changes.hasNext()) {
                RowChange ch = changes.next();
                if (ch.op() == RowChange.Op.DELETE) {
                    own.add(new Op(ch.seq(), project(source.target(), ch.before(), positions), null));
                } else if (ch.op() == RowChange.Op.UPDATE) {
                    own.add(new Op(ch.seq(), project(source.target(), ch.before(), positions),
                            project(source.target(), ch.after(), positions)));
                }
            }
        }
        List<Op> all = own;
        Cascades its = new Cascades(source.target());
        if (!its.acting().isEmpty() && visiting.add(key)) {
            try {
                if (depth >= MAX_DEPTH) {
                    throw new IllegalArgumentException("foreign keys cascade more than " + MAX_DEPTH + " levels deep at " + schema
                            + "." + table + ": not followed");
                }
                boolean selfReferencing = its.acting().stream().anyMatch(fk -> (fk.referencedSchema() == null
                        || fk.referencedSchema().equalsIgnoreCase(schema)) && fk.referencedTable().equalsIgnoreCase(table));
                List<Op> selfOps = selfReferencing ? own : null;
                int rounds = 0;
                while (true) {
                    Cascades cascades = cascades(schema, table, source.target(), depth, selfOps);
                    List<DerivedChanges.Change> derived;
                    try (IndexReader.Changes changes = changes(source)) {
                        derived = DerivedChanges.of(source.target(), source.evolution(), source.baselineFiles(), changes, cascades);
                    }
                    all = new ArrayList<>(own);
                    for (DerivedChanges.Change d : derived) {
                        all.add(new Op(d.seq(), pick(d.before(), positions), d.after() == null ? null : pick(d.after(), positions)));
                    }
                    all.sort(Comparator.comparingLong(Op::seq));
                    if (!selfReferencing || all.size() == selfOps.size()) {
                        break;
                    }
                    if (++rounds >= MAX_ROUNDS) {
                        throw new IllegalArgumentException("the self-referencing foreign key of " + schema + "." + table
                                + " cascades deeper than " + MAX_ROUNDS + " levels: not followed");
                    }
                    selfOps = all;
                }
                if (all.size() > own.size()) {
                    notes.add(schema + "." + table + ": " + (all.size() - own.size()) + " change(s) the server made through its "
                            + "foreign keys passed on to the tables referencing it");
                }
            } finally {
                visiting.remove(key);
            }
        }
        memo.put(key, all);
        return all;
    }

    private IndexReader.Changes changes(Source source) throws SQLException {
        return index.changes(serverId, source.segments(), notBefore, target, source.evolution(), source.target());
    }

    private static SqlValue[] project(TableSchema schema, Map<String, SqlValue> image, int[] positions) {
        SqlValue[] v = new SqlValue[positions.length];
        for (int i = 0; i < positions.length; i++) {
            String name = schema.columns().get(positions[i]).name();
            SqlValue value = image.get(name);
            v[i] = value == null ? SqlValue.NULL : value;
        }
        return v;
    }

    private static SqlValue[] pick(SqlValue[] row, int[] positions) {
        SqlValue[] v = new SqlValue[positions.length];
        for (int i = 0; i < positions.length; i++) {
            v[i] = row[positions[i]];
        }
        return v;
    }
}
