package dev.rewind.pitr.reconstruct;

import java.util.Map;
import java.util.Objects;

/**
 * One row event after the baseline: an insert (after image), an update (before and after
 * images) or a delete (before image). Images map column names to values (full images, as with
 * {@code binlog_row_image=FULL}). The caller supplies changes ordered by binlog position.
 */
public record RowChange(Op op, Map<String, SqlValue> before, Map<String, SqlValue> after) {

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
