package dev.rewind.pitr.reconstruct;

import java.io.IOException;

/** Where merged rows go (a {@link TableDataWriter}, or a collector in tests). */
public interface RowSink {

    /** A row from the baseline, unchanged: its tuple literal {@code (v1,…)} as read. */
    void rawRow(byte[] buf, int off, int len) throws IOException;

    /** A row built from values in the table's column order. */
    void row(SqlValue[] values) throws IOException;
}
