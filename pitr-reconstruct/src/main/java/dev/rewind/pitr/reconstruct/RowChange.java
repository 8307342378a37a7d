package dev.rewind.pitr.reconstruct;

import java.util.Map;
import java.util.Objects;

/**
 * One row event after the baseline: an insert (after image), an update (before and after
 * images) or a delete (before image). Images map column names to values (full images, as with
 * {@code binlog_row_image=FULL}). The caller supplies changes ordered by binlog position.
 *
 * @param seq the change's place in the binlog (file number and position, see pitr-service), compared with the places of
 *            changes the server made without row events (cascades); 0 when unknown
 */
public record RowChange(Op op, Map<String, SqlValue> before, Map<String, SqlValue> after, long seq) {

    public enum Op { INSERT, UPDATE, DELETE }

    public RowChange {
        Objects.requireNonNull(op, "op");
        switch (op) {
            case INSERT -> {
                if (after == null) {
                    throw new IllegalArgumentException("an insert needs an after image");
                }
            }
            case UPDATE -> {
                if (before == null || after == null) {
                    throw new IllegalArgumentException("an update needs before and after images");
                }
            }
            case DELETE -> {
                if (before == null) {
                    throw new IllegalArgumentException("a delete needs a before image");
                }
            }
        }
    }

    public RowChange(Op op, Map<String, SqlValue> before, Map<String, SqlValue> after) {
        this(op, before, after, 0);
    }

    public RowChange at(long binlogSeq) {
        return new RowChange(op, before, after, binlogSeq);
    }

    public static RowChange insert(Map<String, SqlValue> after) {
        return new RowChange(Op.INSERT, null, after);
    }

    public static RowChange update(Map<String, SqlValue> before, Map<String, SqlValue> after) {
        return new RowChange(Op.UPDATE, before, after);
    }

    public static RowChange delete(Map<String, SqlValue> before) {
        return new RowChange(Op.DELETE, before, null);
    }
}
