package dev.rewind.pitr.reconstruct;

/**
 * One column of a table: its name (without backticks), type, and whether the server computes it (a generated
 * column, STORED or VIRTUAL: never inserted, its value follows from the others) or hides it from {@code SELECT *}
 * (an INVISIBLE column: stored like any other, but an INSERT must name it).
 */
public record Column(String name, ColumnType type, boolean generated, boolean invisible) {

    public Column(String name, ColumnType type) {
        this(name, type, false, false);
    }
}
