package dev.rewind.pitr.reconstruct;

/** One column of a table: its name (without backticks) and type. */
public record Column(String name, ColumnType type) {
}
