package dev.rewind.backup.dumper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the rows per table of one dump file as its bytes go by, whatever tool wrote it: the rows of the table at
 * the snapshot, which the manifest, the backup.completed event and the restore verification carry.
 */
public interface TableRowCounter {

    /** Feeds the next bytes of the file. */
    void scan(byte[] bytes, int offset, int length);

    /** The tables the file holds (a table without rows with 0); empty for files that hold no table. */
    List<DumpResult.TableRows> tables();

    /** The counter for a file of a dump made with {@code tool} ({@code mydumper} or {@code mysqldump}). */
    static TableRowCounter of(String tool, String fileName) {
        return "mysqldump".equals(tool) ? new MysqldumpRows(fileName) : new MydumperRows(fileName);
    }

    /** mydumper: one table per file ({@code db.table[.00001].sql}: data, {@code db.table-schema.sql}: its schema). */
    final class MydumperRows implements TableRowCounter {
        private final RowCounter.DumpFileName name;
        private final RowCounter counter = new RowCounter();

        MydumperRows(String fileName) {
            this.name = RowCounter.DumpFileName.parse(fileName);
        }

        @Override
        public void scan(byte[] bytes, int offset, int length) {
            if (name != null && name.data()) {
                counter.scan(bytes, offset, length);
            }
        }

        @Override
        public List<DumpResult.TableRows> tables() {
            return name == null ? List.of() : List.of(new DumpResult.TableRows(name.schema(), name.table(), counter.rows()));
        }
    }

    /**
     * mysqldump (mariadb-dump 10.11): one database per file {@code <db>.sql}; every {@code CREATE TABLE `t`} names a
     * table, and within {@code INSERT INTO `t` VALUES} each row stands on its own line starting with {@code (}
     * (newlines inside values are escaped), so counting those lines counts the rows.
     */
    final class MysqldumpRows implements TableRowCounter {
        private static final byte[] CREATE = "CREATE TABLE `".getBytes();
        private static final byte[] INSERT = "INSERT INTO `".getBytes();

        private final String schema;
        private final Map<String, Long> rows = new LinkedHashMap<>();
        private final StringBuilder line = new StringBuilder();
        private boolean lineStart = true;
        private boolean collecting;
        private boolean inInsert;
        private byte previous;
        private String table;

        MysqldumpRows(String fileName) {
            String base = fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
            this.schema = base.endsWith(".sql") ? base.substring(0, base.length() - 4) : null;
        }

        @Override
        public void scan(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                byte b = bytes[i];
                if (lineStart) {
                    if (b == '(' && inInsert) {
                        rows.merge(table, 1L, Long::sum);
                    }
                    collecting = b == 'C' || b == 'I'; // maybe CREATE TABLE or INSERT INTO: read the line's start
                    line.setLength(0);
                }
                if (b == '\n') {
                    if (collecting) {
                        statement();
                    } else if (inInsert && previous == ';') {
                        inInsert = false; // the INSERT's last row
                    }
                    collecting = false;
                } else if (collecting) {
                    line.append((char) b);
                    if (line.length() >= 200) {
                        statement();
                        collecting = false;
                    }
                }
                lineStart = b == '\n';
                previous = b;
            }
        }

        private void statement() {
            String text = line.toString();
            String name = nameAfter(text, CREATE);
            if (name != null) {
                rows.putIfAbsent(name, 0L);
                return;
            }
            name = nameAfter(text, INSERT);
            if (name != null) {
                table = name;
                rows.putIfAbsent(name, 0L);
                inInsert = !text.endsWith(";");
            }
        }

        private static String nameAfter(String text, byte[] prefix) {
            String start = new String(prefix);
            if (!text.startsWith(start)) {
                return null;
            }
            int end = text.indexOf('`', start.length());
            return end < 0 ? null : text.substring(start.length(), end);
        }

        @Override
        public List<DumpResult.TableRows> tables() {
            List<DumpResult.TableRows> tables = new ArrayList<>();
            if (schema != null) {
                rows.forEach((name, count) -> tables.add(new DumpResult.TableRows(schema, name, count)));
            }
            return tables;
        }
    }
}
