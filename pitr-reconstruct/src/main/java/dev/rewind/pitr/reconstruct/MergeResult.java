package dev.rewind.pitr.reconstruct;

import java.util.List;

/**
 * What merging one table did.
 *
 * @param table            table name
 * @param matchedOn        {@code "primary key (`a`, `b`)"} or {@code "no primary key: matched on full rows"}
 * @param baselineRows     rows read from the baseline
 * @param changesApplied   row changes consumed
 * @param rowsWritten      rows in the output
 * @param rowsKeptAsIs     baseline rows copied unchanged
 * @param rowsReplaced     baseline rows replaced by a later image
 * @param rowsDeleted      baseline rows removed
 * @param rowsAdded        rows not in the baseline added from changes
 * @param changedKeys      distinct keys (or distinct full rows) the changes touched: the memory bound
 * @param warnings         inconsistencies between baseline and changes (e.g. an update of a row the
 *                         baseline does not have), each with a count; empty when consistent
 */
public record MergeResult(String table, String matchedOn, long baselineRows, long changesApplied, long rowsWritten,
                          long rowsKeptAsIs, long rowsReplaced, long rowsDeleted, long rowsAdded, long changedKeys,
                          List<String> warnings) {

    public static final String NO_PRIMARY_KEY = "no primary key: matched on full rows";

    public MergeResult {
        warnings = List.copyOf(warnings);
    }

    public boolean matchedOnFullRows() {
        return NO_PRIMARY_KEY.equals(matchedOn);
    }
}
