package dev.rewind.pitr.reconstruct;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * A table's changes and baseline rows, split by key into {@link #PARTS} partitions on disk, so that each partition can
 * be merged on its own with a fraction of the memory (a grace hash join). Changes are kept in their binlog order within
 * a partition; baseline rows are written back as the tuples the dump held, in INSERT statements the
 * {@link DumpRowReader} reads again with the same schema. Closing removes every file.
 */
final class ChangeSpill implements Closeable {

    /** Partitions per level: a table whose changes are 64 times the budget still merges within it. */
    static final int PARTS = 64;
    private static final int BUFFER = 1 << 15;
    private static final long STATEMENT_BYTES = 1 << 20;

    private final Path dir;
    private final int columns;
    private final List<Column> schemaColumns;
    private final DataOutputStream[] changeOut = new DataOutputStream[PARTS];
    private final long[] changeCount = new long[PARTS];
    private final BufferedOutputStream[] rowOut = new BufferedOutputStream[PARTS];
    private final int[][] rowLayout = new int[PARTS][];
    private final long[] statementBytes = new long[PARTS];
    private final long[] rowCount = new long[PARTS];

    ChangeSpill(Path parent, TableSchema schema) throws IOException {
        Files.createDirectories(parent);
        this.dir = Files.createTempDirectory(parent, "merge-");
        this.schemaColumns = schema.columns();
        this.columns = schemaColumns.size();
    }

    /** The partition of a key's hash at a level of partitioning (each level mixes the hash differently). */
    static int partition(long hash, int level) {
        long x = hash * 0x9E3779B97F4A7C15L + (level + 1) * 0xBF58476D1CE4E5B9L;
        x ^= x >>> 31;
        x *= 0x94D049BB133111EBL;
        x ^= x >>> 29;
        return (int) (x >>> 58); // 6 bits: 0 .. PARTS-1
    }

    void writeChange(int part, TableMerger.Change change) throws IOException {
        DataOutputStream out = changeOut[part];
        if (out == null) {
            out = changeOut[part] = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(changes(part)), BUFFER));
        }
        out.writeByte(change.op().ordinal());
        out.writeLong(change.seq());
        if (change.op() != RowChange.Op.INSERT) {
            writeImage(out, change.before());
        }
        if (change.op() != RowChange.Op.DELETE) {
            writeImage(out, change.after());
        }
        changeCount[part]++;
    }

    /** A baseline row as the dump held it (its bytes and the columns its statement named). */
    void writeRow(int part, RawRow row) throws IOException {
        BufferedOutputStream out = rowOut[part];
        if (out == null) {
            out = rowOut[part] = new BufferedOutputStream(Files.newOutputStream(rows(part)), BUFFER);
        }
        if (rowLayout[part] != null && (rowLayout[part] != row.layout || statementBytes[part] > STATEMENT_BYTES)) {
            out.write(";\n".getBytes(StandardCharsets.US_ASCII));
            rowLayout[part] = null;
        }
        if (rowLayout[part] == null) {
            StringBuilder head = new StringBuilder("INSERT INTO `spill` (");
            for (int i = 0; i < row.layout.length; i++) {
                head.append(i == 0 ? "`" : ",`").append(schemaColumns.get(row.layout[i]).name().replace("`", "``")).append('`');
            }
            out.write(head.append(") VALUES\n").toString().getBytes(StandardCharsets.UTF_8));
            rowLayout[part] = row.layout;
            statementBytes[part] = 0;
        } else {
            out.write(",\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(row.buffer(), row.start(), row.length());
        statementBytes[part] += row.length();
        rowCount[part]++;
    }

    /** Ends writing: every partition is complete on disk. */
    void seal() throws IOException {
        for (int p = 0; p < PARTS; p++) {
            if (changeOut[p] != null) {
                changeOut[p].close();
                changeOut[p] = null;
            }
            if (rowOut[p] != null) {
                if (rowLayout[p] != null) {
                    rowOut[p].write(";\n".getBytes(StandardCharsets.US_ASCII));
                }
                rowOut[p].close();
                rowOut[p] = null;
            }
        }
    }

    /** The partition's baseline rows as one data file (none when it has no rows). */
    List<DataFile> baseline(int part) {
        return rowCount[part] == 0 ? List.of() : List.of(DataFile.of(rows(part)));
    }

    /** The partition's changes in their order, read from disk as they are consumed. */
    Iterator<TableMerger.Change> changes(int part, long[] readCount) throws IOException {
        long count = changeCount[part];
        if (count == 0) {
            return java.util.Collections.emptyIterator();
        }
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(changes(part)), BUFFER));
        return new Iterator<>() {
            long left = count;

            @Override
            public boolean hasNext() {
                if (left == 0) {
                    closeQuietly(in);
                }
                return left > 0;
            }

            @Override
            public TableMerger.Change next() {
                if (left == 0) {
                    throw new NoSuchElementException();
                }
                try {
                    RowChange.Op op = RowChange.Op.values()[in.readByte()];
                    long seq = in.readLong();
                    SqlValue[] before = op == RowChange.Op.INSERT ? null : readImage(in);
                    SqlValue[] after = op == RowChange.Op.DELETE ? null : readImage(in);
                    left--;
                    readCount[0]++;
                    return new TableMerger.Change(op, before, after, seq);
                } catch (IOException e) {
                    closeQuietly(in);
                    throw new UncheckedIOException("reading spilled changes failed", e);
                }
            }
        };
    }

    /** Removes a merged partition's files at once (the rest go at {@link #close}). */
    void drop(int part) throws IOException {
        Files.deleteIfExists(changes(part));
        Files.deleteIfExists(rows(part));
    }

    private Path changes(int part) {
        return dir.resolve(part + ".changes");
    }

    private Path rows(int part) {
        return dir.resolve(part + ".rows.sql");
    }

    private void writeImage(DataOutputStream out, SqlValue[] image) throws IOException {
        for (SqlValue v : image) {
            write(out, v);
        }
    }

    private SqlValue[] readImage(DataInputStream in) throws IOException {
        SqlValue[] image = new SqlValue[columns];
        for (int i = 0; i < columns; i++) {
            image[i] = read(in);
        }
        return image;
    }

    static void write(DataOutputStream out, SqlValue v) throws IOException {
        if (v instanceof SqlValue.Null) {
            out.writeByte(0);
        } else if (v instanceof SqlValue.Int i) {
            out.writeByte(1);
            out.writeLong(i.value());
            out.writeBoolean(i.unsigned());
        } else if (v instanceof SqlValue.Decimal d) {
            out.writeByte(2);
            bytes(out, d.value().toString().getBytes(StandardCharsets.US_ASCII));
        } else if (v instanceof SqlValue.Real r) {
            out.writeByte(3);
            out.writeDouble(r.value());
            out.writeBoolean(r.single());
        } else if (v instanceof SqlValue.Bits b) {
            out.writeByte(4);
            out.writeLong(b.value());
        } else if (v instanceof SqlValue.Temporal t) {
            out.writeByte(5);
            bytes(out, t.text().getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof SqlValue.Text t) {
            out.writeByte(6);
            bytes(out, t.bytes());
        } else if (v instanceof SqlValue.Binary b) {
            out.writeByte(7);
            bytes(out, b.bytes());
        } else if (v instanceof SqlValue.Json j) {
            out.writeByte(8);
            bytes(out, j.text().getBytes(StandardCharsets.UTF_8));
        } else {
            throw new IllegalArgumentException("no spill form for " + v);
        }
    }

    static SqlValue read(DataInputStream in) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case 0 -> SqlValue.NULL;
            case 1 -> new SqlValue.Int(in.readLong(), in.readBoolean());
            case 2 -> new SqlValue.Decimal(new BigDecimal(new String(bytes(in), StandardCharsets.US_ASCII)));
            case 3 -> new SqlValue.Real(in.readDouble(), in.readBoolean());
            case 4 -> new SqlValue.Bits(in.readLong());
            case 5 -> new SqlValue.Temporal(new String(bytes(in), StandardCharsets.UTF_8));
            case 6 -> new SqlValue.Text(bytes(in));
            case 7 -> new SqlValue.Binary(bytes(in));
            case 8 -> new SqlValue.Json(new String(bytes(in), StandardCharsets.UTF_8));
            default -> throw new IOException("spill file damaged: unknown value tag " + tag);
        };
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    /** A rough size of a value on the heap: what the budget counts. */
    static long estimate(SqlValue[] image) {
        if (image == null) {
            return 0;
        }
        long bytes = 16 + 4L * image.length;
        for (SqlValue v : image) {
            if (v instanceof SqlValue.Text t) {
                bytes += 32 + t.bytes().length;
            } else if (v instanceof SqlValue.Binary b) {
                bytes += 32 + b.bytes().length;
            } else if (v instanceof SqlValue.Temporal t) {
                bytes += 56 + t.text().length();
            } else if (v instanceof SqlValue.Json j) {
                bytes += 96 + 2L * j.text().length();
            } else if (v instanceof SqlValue.Decimal) {
                bytes += 64;
            } else if (!(v instanceof SqlValue.Null)) {
                bytes += 24;
            }
        }
        return bytes;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // a read-only stream: nothing is lost
        }
    }

    @Override
    public void close() throws IOException {
        for (int p = 0; p < PARTS; p++) {
            try {
                if (changeOut[p] != null) {
                    changeOut[p].close();
                }
                if (rowOut[p] != null) {
                    rowOut[p].close();
                }
            } catch (IOException ignored) {
                // the files go below anyway
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
