package dev.rewind.pitr.binlog;

import java.util.List;
import java.util.Map;

/**
 * The schema of a source as read from information_schema: every table of every user schema with its columns,
 * types, primary key and foreign keys. Decoding uses it for what the binlog does not say (charsets, unsigned,
 * the length of BINARY columns); it is also stored, versioned, for PITR.
 *
 * @param tables by {@code schema.table}
 */
public record SchemaSnapshot(Map<String, Table> tables) {

    public Table table(String schema, String table) {
        return tables.get(schema + "." + table);
    }

    /**
     * One table.
     *
     * @param createSql the table's {@code SHOW CREATE TABLE} without its {@code AUTO_INCREMENT=} counter (PITR writes
     *                  it as the table's schema at the target); null in snapshots taken before it was recorded
     */
    public record Table(String schema, String name, List<Column> columns, List<String> primaryKey, List<ForeignKey> foreignKeys,
            String createSql) {

        public Column column(String name) {
            for (Column c : columns) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
            return null;
        }
    }

    /**
     * One column.
     *
     * @param dataType    e.g. {@code varchar}, {@code decimal}, {@code json}
     * @param columnType  the full type, e.g. {@code int(10) unsigned}, {@code enum('a','b')}
     * @param charset     the character set; null for binary and non-character columns
     * @param octetLength the maximal length in bytes of character and binary columns
     */
    public record Column(String name, int ordinal, String dataType, String columnType, boolean nullable, String charset,
            Long octetLength) {

        public boolean unsigned() {
            return columnType.toLowerCase().contains("unsigned");
        }
    }

    /** A foreign key of a table. */
    public record ForeignKey(String name, List<String> columns, String referencedSchema, String referencedTable,
            List<String> referencedColumns) {
    }
}
