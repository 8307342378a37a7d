package dev.rewind.pitr.reconstruct;

/**
 * How {@link DumpWriter} lays out data.
 *
 * @param gzip           write {@code .sql.gz} files (as {@code mydumper -c})
 * @param gzipLevel      deflate level 1 (fast) … 9 (small)
 * @param statementBytes close an INSERT statement after about this many bytes (mydumper's -s, default 1000000)
 * @param fileBytes      start a new data file after about this many uncompressed bytes
 * @param fileRows       start a new data file after this many rows (0: no row limit)
 */
public record WriterOptions(boolean gzip, int gzipLevel, int statementBytes, long fileBytes, long fileRows) {

    public WriterOptions {
        if (gzipLevel < 1 || gzipLevel > 9) {
            throw new IllegalArgumentException("gzipLevel must be 1..9");
        }
        if (statementBytes < 1) {
            throw new IllegalArgumentException("statementBytes must be positive");
        }
        if (fileBytes < 1) {
            throw new IllegalArgumentException("fileBytes must be positive");
        }
        if (fileRows < 0) {
            throw new IllegalArgumentException("fileRows must be ≥ 0");
        }
    }

    /** Plain files, 1 MB statements, 64 MiB data files. */
    public static WriterOptions defaults() {
        return new WriterOptions(false, 1, 1_000_000, 64L << 20, 0);
    }

    public WriterOptions withGzip(boolean on) {
        return new WriterOptions(on, gzipLevel, statementBytes, fileBytes, fileRows);
    }

    public WriterOptions withGzipLevel(int level) {
        return new WriterOptions(gzip, level, statementBytes, fileBytes, fileRows);
    }

    public WriterOptions withStatementBytes(int bytes) {
        return new WriterOptions(gzip, gzipLevel, bytes, fileBytes, fileRows);
    }

    public WriterOptions withFileBytes(long bytes) {
        return new WriterOptions(gzip, gzipLevel, statementBytes, bytes, fileRows);
    }

    public WriterOptions withFileRows(long rows) {
        return new WriterOptions(gzip, gzipLevel, statementBytes, fileBytes, rows);
    }
}
