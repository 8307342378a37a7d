package dev.rewind.backup.dumper;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Counts the rows of a table file of a mydumper 0.10 dump as its bytes go by. mydumper writes one row per line
 * and every row line starts with {@code (} (string values have their newlines escaped), so the count is exact:
 * the table's row count at the snapshot.
 */
public final class RowCounter {

    private boolean lineStart = true;
    private long rows;

    /** Feeds the next bytes of the file. */
    public void scan(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (lineStart && b == '(') {
                rows++;
            }
            lineStart = b == '\n';
        }
    }

    public long rows() {
        return rows;
    }

    /** Rows of a whole file, plain or gzip-compressed. */
    public static long countRows(Path file, boolean gzip) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : new BufferedInputStream(raw, 1 << 16)) {
            RowCounter counter = new RowCounter();
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                counter.scan(buffer, 0, n);
            }
            return counter.rows();
        }
    }

    /** A mydumper file name: {@code db.table.sql[.gz]}, {@code db.table.00001.sql[.gz]} (data), {@code db.table-schema.sql[.gz]}. */
    public record DumpFileName(String schema, String table, boolean data) {

        public static DumpFileName parse(String name) {
            String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
            if (!base.endsWith(".sql") || base.endsWith("-schema-create.sql") || base.endsWith("-schema-post.sql")
                    || base.endsWith("-schema-triggers.sql") || base.endsWith("-schema-view.sql")) {
                return null;
            }
            base = base.substring(0, base.length() - 4);
            boolean data = true;
            if (base.endsWith("-schema")) {
                base = base.substring(0, base.length() - 7);
                data = false;
            }
            int dot = base.indexOf('.');
            if (dot <= 0) {
                return null;
            }
            String schema = base.substring(0, dot);
            String table = base.substring(dot + 1);
            if (data && table.matches(".*\\.\\d{5}")) {
                table = table.substring(0, table.length() - 6); // a chunk of a big table
            }
            return new DumpFileName(schema, table, data);
        }
    }
}
