package dev.rewind.pitr.binlog;

/**
 * One row of a rows event, decoded: images and primary key as JSON text (see pitr-service/README.md for the
 * encoding of each column type).
 *
 * @param position the binlog position of the rows event (the start of the event)
 * @param rowIndex the row's index within its event, from 0
 * @param op       insert, update or delete
 * @param pk       the primary key columns (of the before image for updates and deletes); null without a primary key
 */
public record RowChange(long position, int rowIndex, String schema, String table, String op, String pk, String before,
        String after) {

    /** Roughly what the row holds in memory: its strings at two bytes a character, plus the objects around them. */
    public long estimatedBytes() {
        return 160 + 2L * (length(schema) + length(table) + length(pk) + length(before) + length(after));
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}
