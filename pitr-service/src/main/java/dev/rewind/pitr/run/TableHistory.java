package dev.rewind.pitr.run;

import dev.rewind.pitr.binlog.SchemaSnapshot;
import dev.rewind.pitr.reconstruct.DdlStatement;
import dev.rewind.pitr.reconstruct.SchemaEvolution;
import dev.rewind.pitr.reconstruct.TableSchema;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the DDL between a baseline and a target did to one table, read from the statements the stream recorded and the
 * schema snapshots taken after them: the names it had (RENAME TABLE), the last statement that emptied it (TRUNCATE,
 * DROP TABLE before it was created again, DROP DATABASE), and its shapes (ALTER TABLE).
 *
 * @param baselineName  {@code schema.table} as the table was named at the baseline
 * @param segments      where its changes are: one name between two binlog places, in binlog order
 * @param emptiedAt     the binlog place of the last statement that removed all its rows; null when none did. The
 *                      baseline's rows and changes before it do not count
 * @param createdAfter  the table did not exist at the baseline under any of its names: no baseline rows
 * @param first         its shape where its rows start from (the baseline's, or after {@code emptiedAt}); null when the
 *                      baseline is to say
 * @param steps         its later shapes
 */
record TableHistory(String baselineName, List<IndexReader.Segment> segments, Long emptiedAt, List<SchemaEvolution.Step> steps,
        TableSchema first) {

    /** Answers the tables of a snapshot version. */
    interface Snapshots {
        Map<String, SchemaSnapshot.Table> of(int version) throws SQLException;
    }

    static TableHistory of(String schema, String table, long baselineSeq, List<IndexReader.DdlRecord> ddl, Snapshots snapshots,
            java.util.function.Function<String, TableSchema> baselineShape) throws SQLException {
        List<DdlStatement> parsed = new ArrayList<>(ddl.size());
        for (IndexReader.DdlRecord d : ddl) {
            parsed.add(DdlStatement.parse(d.statement(), d.database()));
        }
        // names, from the target back to the baseline
        String[] name = {schema, table};
        long upTo = Long.MAX_VALUE;
        List<IndexReader.Segment> segments = new ArrayList<>();
        String[][] nameBefore = new String[ddl.size()][];
        for (int i = ddl.size() - 1; i >= 0; i--) {
            DdlStatement s = parsed.get(i);
            String[] after = name.clone();
            if (s.kind() == DdlStatement.Kind.RENAME_TABLE || (s.kind() == DdlStatement.Kind.ALTER_TABLE && !s.renamedTo().isEmpty())) {
                for (int r = s.renamedTo().size() - 1; r >= 0; r--) {
                    if (s.renamedTo().get(r).is(name[0], name[1])) {
                        DdlStatement.Name old = s.tables().get(r);
                        name = new String[] {old.schema(), old.table()};
                    }
                }
            }
            if (!name[0].equalsIgnoreCase(after[0]) || !name[1].equalsIgnoreCase(after[1])) {
                segments.add(new IndexReader.Segment(after[0], after[1], ddl.get(i).seq(), upTo));
                upTo = ddl.get(i).seq();
            }
            nameBefore[i] = name;
        }
        segments.add(new IndexReader.Segment(name[0], name[1], baselineSeq, upTo));
        Collections.reverse(segments);
        String baselineName = name[0] + "." + name[1];

        // the last statement that emptied it (under the name it had then)
        Long emptiedAt = null;
        for (int i = 0; i < ddl.size(); i++) {
            DdlStatement s = parsed.get(i);
            String[] then = nameBefore[i];
            boolean empties = switch (s.kind()) {
                case TRUNCATE_TABLE, DROP_TABLE -> s.touches(then[0], then[1]);
                case DROP_DATABASE -> s.database().equalsIgnoreCase(then[0]);
                default -> false;
            };
            if (empties) {
                emptiedAt = ddl.get(i).seq();
            }
        }

        // its shapes after the point its rows start from
        TableSchema atBaseline = baselineShape.apply(baselineName);
        boolean fromScratch = emptiedAt != null || atBaseline == null;
        List<SchemaEvolution.Step> steps = new ArrayList<>();
        TableSchema first = null;
        TableSchema previous = fromScratch ? null : atBaseline;
        for (int i = 0; i < ddl.size(); i++) {
            IndexReader.DdlRecord d = ddl.get(i);
            if (emptiedAt != null && d.seq() < emptiedAt) {
                continue;
            }
            String[] now = i + 1 < ddl.size() ? nameBefore[i + 1] : new String[] {schema, table};
            DdlStatement s = parsed.get(i);
            boolean onThisTable = s.kind() == DdlStatement.Kind.ALTER_TABLE && s.touches(nameBefore[i][0], nameBefore[i][1]);
            SchemaSnapshot.Table t = find(snapshots.of(d.snapshotVersion()), now[0], now[1]);
            // a snapshot taken while a later ALTER rebuilt the table may lack it, or show statements not read yet
            TableSchema snapshotShape = t == null || t.createSql() == null ? null : TableSchema.parse(t.createSql());
            if (fromScratch && first == null) {
                if (snapshotShape != null) {
                    first = snapshotShape;
                    previous = snapshotShape;
                }
                continue;
            }
            if (!onThisTable || previous == null) {
                continue;
            }
            TableSchema shape;
            try {
                TableSchema derived = SchemaEvolution.applyAlter(previous, d.statement());
                shape = snapshotShape != null && derived.sameColumnsAs(snapshotShape) && sameTypes(derived, snapshotShape)
                        ? snapshotShape : derived;
            } catch (IllegalArgumentException e) {
                if (snapshotShape == null) {
                    throw new IllegalArgumentException("the shape of " + schema + "." + table + " after \"" + d.statement()
                            + "\" is not known: " + e.getMessage(), e);
                }
                shape = snapshotShape;
            }
            if (sameShape(previous, shape)) {
                continue;
            }
            Set<String> readded = new HashSet<>(s.dropped());
            readded.retainAll(s.added());
            steps.add(new SchemaEvolution.Step(d.seq(), shape, s.columnRenames(), readded, d.ranAt().toInstant(), d.statement()));
            previous = shape;
        }
        return new TableHistory(baselineName, segments, emptiedAt, steps, first);
    }

    private static boolean sameTypes(TableSchema a, TableSchema b) {
        for (int i = 0; i < a.columnCount(); i++) {
            if (!a.columns().get(i).type().equals(b.columns().get(i).type())) {
                return false;
            }
        }
        return true;
    }

    /** Same columns, in the same order, of the same types: rows need no carrying. */
    static boolean sameShape(TableSchema a, TableSchema b) {
        if (!a.sameColumnsAs(b)) {
            return false;
        }
        for (int i = 0; i < a.columnCount(); i++) {
            if (!a.columns().get(i).type().equals(b.columns().get(i).type())
                    || !a.definition(i).equals(b.definition(i))) {
                return false;
            }
        }
        return true;
    }

    private static SchemaSnapshot.Table find(Map<String, SchemaSnapshot.Table> tables, String schema, String table) {
        SchemaSnapshot.Table t = tables.get(schema + "." + table);
        if (t != null) {
            return t;
        }
        for (SchemaSnapshot.Table candidate : tables.values()) {
            if (candidate.schema().equalsIgnoreCase(schema) && candidate.name().equalsIgnoreCase(table)) {
                return candidate;
            }
        }
        return null;
    }

    /** The changes' lower bound once the table was emptied. */
    List<IndexReader.Segment> segmentsFrom() {
        if (emptiedAt == null) {
            return segments;
        }
        List<IndexReader.Segment> cut = new ArrayList<>();
        for (IndexReader.Segment s : segments) {
            if (s.upToSeq() > emptiedAt) {
                cut.add(new IndexReader.Segment(s.schema(), s.table(), Math.max(s.afterSeq(), emptiedAt), s.upToSeq()));
            }
        }
        return cut;
    }
}
