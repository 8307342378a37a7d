package dev.rewind.pitr.reconstruct;

/**
 * What the server did to a table's rows without writing row events for them: the cascades of foreign keys when a
 * referenced row was deleted or re-keyed, a TRUNCATE, a DROP and re-CREATE. Applied by {@link TableMerger} to each row
 * as it stands at the target, given where in the binlog the row was last written.
 */
public interface RowFate {

    /** The place of a row that is as the baseline holds it: before every change. */
    long BASELINE = Long.MIN_VALUE;

    /** No change outside the row events. */
    RowFate NONE = new RowFate() {
        @Override
        public SqlValue[] apply(SqlValue[] row, long lastWrite) {
            return row;
        }

        @Override
        public boolean isNone() {
            return true;
        }
    };

    /**
     * The row at the target.
     *
     * @param row       the row as last written (in the target's column order); not modified
     * @param lastWrite the binlog place of that write, {@link #BASELINE} for a row unchanged since the baseline
     * @return the row, a changed copy, or null when the server removed it
     */
    SqlValue[] apply(SqlValue[] row, long lastWrite);

    /** Whether no row is ever changed: lets the merge copy baseline rows without decoding them. */
    default boolean isNone() {
        return false;
    }
}
