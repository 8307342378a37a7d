package dev.rewind.pitr.reconstruct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table's columns (in order), primary key and the CREATE TABLE statement they came from.
 * Parsed from the CREATE TABLE text that {@code SHOW CREATE TABLE} (and so mydumper) prints on
 * MariaDB 10.x and MySQL 8.
 */
public final class TableSchema {
    private final String name;
    private final List<Column> columns;
    private final int[] primaryKey;
    private final String createStatement;
    private final List<String> definitions;
    private final List<ForeignKey> foreignKeys;
    private final Map<String, Integer> index = new HashMap<>();

    /**
     * A FOREIGN KEY of the table and what the server does to this table's rows when the referenced row is deleted or
     * its referenced columns change.
     *
     * @param referencedSchema the referenced table's database; null when it is the table's own
     */
    public record ForeignKey(String name, List<String> columns, String referencedSchema, String referencedTable,
            List<String> referencedColumns, Action onDelete, Action onUpdate) {

        public ForeignKey {
            columns = List.copyOf(columns);
            referencedColumns = List.copyOf(referencedColumns);
        }

        /** A referential action; RESTRICT and NO ACTION leave the rows alone (the server refuses the parent change). */
        public enum Action {
            RESTRICT, NO_ACTION, CASCADE, SET_NULL, SET_DEFAULT;

            public boolean changesChildren() {
                return this == CASCADE || this == SET_NULL || this == SET_DEFAULT;
            }
        }
    }

    private TableSchema(String name, List<Column> columns, int[] primaryKey, String createStatement, List<String> definitions,
            List<ForeignKey> foreignKeys) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.primaryKey = primaryKey;
        this.createStatement = createStatement;
        this.definitions = List.copyOf(definitions);
        this.foreignKeys = List.copyOf(foreignKeys);
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i).name().toLowerCase(Locale.ROOT), i);
        }
    }

    /** The table name from the statement. */
    public String name() {
        return name;
    }

    public List<Column> columns() {
        return columns;
    }

    public int columnCount() {
        return columns.size();
    }

    /** The CREATE TABLE statement without a trailing semicolon. */
    public String createStatement() {
        return createStatement;
    }

    /** The table's default character set (of its CREATE TABLE options; utf8mb4 when it names none). */
    public String tableCharset() {
        String open = createStatement.substring(matchingParen(createStatement, createStatement.indexOf('(')) + 1);
        String cs = option(open, "CHARSET");
        if (cs == null) {
            cs = option(open, "CHARACTER SET");
        }
        return cs == null ? "utf8mb4" : cs;
    }

    /** The definition of column {@code i} as the statement wrote it after its name, e.g. {@code int NOT NULL DEFAULT '5'}. */
    public String definition(int i) {
        return definitions.get(i);
    }

    public List<ForeignKey> foreignKeys() {
        return foreignKeys;
    }

    public boolean hasPrimaryKey() {
        return primaryKey.length > 0;
    }

    /** Positions of the primary key columns in {@link #columns()}, in key order; empty without a key. */
    public int[] primaryKeyPositions() {
        return primaryKey.clone();
    }

    public List<String> primaryKey() {
        List<String> names = new ArrayList<>();
        for (int p : primaryKey) {
            names.add(columns.get(p).name());
        }
        return names;
    }

    /** Position of a column, case-insensitively as MySQL does; -1 when absent. */
    public int indexOf(String column) {
        Integer i = index.get(column.toLowerCase(Locale.ROOT));
        return i == null ? -1 : i;
    }

    /** Same column names in the same order (types may be compared separately). */
    /** Whether any column is generated or invisible: an INSERT of the table's rows must then name its columns. */
    public boolean needsColumnList() {
        for (Column c : columns) {
            if (c.generated() || c.invisible()) {
                return true;
            }
        }
        return false;
    }

    /** Positions of the columns an INSERT gives values for (all but the generated ones), in table order. */
    public int[] insertablePositions() {
        int n = 0;
        for (Column c : columns) {
            n += c.generated() ? 0 : 1;
        }
        int[] p = new int[n];
        int j = 0;
        for (int i = 0; i < columns.size(); i++) {
            if (!columns.get(i).generated()) {
                p[j++] = i;
            }
        }
        return p;
    }

    public boolean sameColumnsAs(TableSchema other) {
        if (other.columns.size() != columns.size()) {
            return false;
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!columns.get(i).name().equalsIgnoreCase(other.columns.get(i).name())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a CREATE TABLE statement. Leading {@code SET}/comment statements (as in a mydumper
     * {@code -schema.sql} file) are skipped.
     *
     * @throws IllegalArgumentException when there is no CREATE TABLE or it cannot be understood
     */
    public static TableSchema parse(String sql) {
        String create = extractCreate(sql);
        int open = create.indexOf('(');
        if (open < 0) {
            throw new IllegalArgumentException("CREATE TABLE without a column list");
        }
        String name = parseTableName(create.substring(0, open));
        int close = matchingParen(create, open);
        String body = create.substring(open + 1, close);
        String tableOptions = create.substring(close + 1);
        String tableCharset = option(tableOptions, "CHARSET");
        if (tableCharset == null) {
            tableCharset = option(tableOptions, "CHARACTER SET");
        }
        if (tableCharset == null) {
            tableCharset = "utf8mb4";
        }
        List<Column> columns = new ArrayList<>();
        List<String> definitions = new ArrayList<>();
        List<ForeignKey> foreignKeys = new ArrayList<>();
        List<String> pk = new ArrayList<>();
        for (String item : splitTopLevel(body)) {
            String t = item.trim();
            String upper = t.toUpperCase(Locale.ROOT);
            if (t.startsWith("`")) {
                columns.add(parseColumn(t, tableCharset));
                definitions.add(t.substring(endOfBacktick(t, 0) + 1).trim());
            } else if (upper.contains("FOREIGN KEY") && (upper.startsWith("CONSTRAINT") || upper.startsWith("FOREIGN KEY"))) {
                foreignKeys.add(parseForeignKey(t));
            } else if (t.toUpperCase(Locale.ROOT).startsWith("PRIMARY KEY")) {
                int p = t.indexOf('(');
                for (String part : splitTopLevel(t.substring(p + 1, matchingParen(t, p)))) {
                    String col = part.trim();
                    int lenParen = col.lastIndexOf('(');
                    if (lenParen > 0 && col.endsWith(")") && col.lastIndexOf('`') < lenParen) {
                        col = col.substring(0, lenParen).trim(); // prefix key `c`(10)
                    }
                    pk.add(unquoteIdent(col));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("CREATE TABLE " + name + " has no columns");
        }
        TableSchema probe = new TableSchema(name, columns, new int[0], create, definitions, foreignKeys);
        int[] pkPos = new int[pk.size()];
        for (int i = 0; i < pk.size(); i++) {
            pkPos[i] = probe.indexOf(pk.get(i));
            if (pkPos[i] < 0) {
                throw new IllegalArgumentException("primary key column " + pk.get(i) + " is not a column of " + name);
            }
        }
        return new TableSchema(name, columns, pkPos, create, definitions, foreignKeys);
    }

    /** {@code CONSTRAINT `n` FOREIGN KEY (`a`, `b`) REFERENCES [`db`.]`t` (`x`, `y`) [ON DELETE …] [ON UPDATE …]}. */
    private static ForeignKey parseForeignKey(String t) {
        String upper = t.toUpperCase(Locale.ROOT);
        String name = null;
        if (upper.startsWith("CONSTRAINT")) {
            String head = t.substring("CONSTRAINT".length(), upper.indexOf("FOREIGN KEY")).trim();
            name = head.isEmpty() ? null : unquoteIdent(head);
        }
        int open = t.indexOf('(', upper.indexOf("FOREIGN KEY"));
        int close = matchingParen(t, open);
        List<String> columns = identifiers(t.substring(open + 1, close));
        int references = upper.indexOf("REFERENCES", close);
        int refOpen = t.indexOf('(', references);
        String target = t.substring(references + "REFERENCES".length(), refOpen).trim();
        List<String> parts = new ArrayList<>();
        for (String part : splitQualified(target)) {
            parts.add(unquoteIdent(part));
        }
        int refClose = matchingParen(t, refOpen);
        List<String> referenced = identifiers(t.substring(refOpen + 1, refClose));
        String tail = upper.substring(refClose + 1);
        return new ForeignKey(name, columns, parts.size() > 1 ? parts.get(0) : null, parts.get(parts.size() - 1), referenced,
                action(tail, "ON DELETE"), action(tail, "ON UPDATE"));
    }

    private static ForeignKey.Action action(String tail, String clause) {
        int at = tail.indexOf(clause);
        if (at < 0) {
            return ForeignKey.Action.RESTRICT; // the default of InnoDB, printed by neither server
        }
        String rest = tail.substring(at + clause.length()).trim();
        if (rest.startsWith("CASCADE")) {
            return ForeignKey.Action.CASCADE;
        }
        if (rest.startsWith("SET NULL")) {
            return ForeignKey.Action.SET_NULL;
        }
        if (rest.startsWith("SET DEFAULT")) {
            return ForeignKey.Action.SET_DEFAULT;
        }
        if (rest.startsWith("NO ACTION")) {
            return ForeignKey.Action.NO_ACTION;
        }
        return ForeignKey.Action.RESTRICT;
    }

    private static List<String> identifiers(String list) {
        List<String> names = new ArrayList<>();
        for (String part : splitTopLevel(list)) {
            names.add(unquoteIdent(part.trim()));
        }
        return names;
    }

    /** {@code `db`.`t`} or {@code t} split at the dot outside quotes. */
    static List<String> splitQualified(String s) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '`') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                parts.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        parts.add(s.substring(start).trim());
        return parts;
    }

    private static String extractCreate(String sql) {
        String upper = sql.toUpperCase(Locale.ROOT);
        int at = upper.indexOf("CREATE TABLE");
        if (at < 0) {
            throw new IllegalArgumentException("no CREATE TABLE statement");
        }
        String s = sql.substring(at).trim();
        int open = s.indexOf('(');
        if (open > 0) {
            int close = matchingParen(s, open);
            int semi = s.indexOf(';', close);
            if (semi >= 0) {
                s = s.substring(0, semi);
            }
        }
        return s.trim();
    }

    private static String parseTableName(String head) {
        String h = head.trim();
        String upper = h.toUpperCase(Locale.ROOT);
        h = h.substring("CREATE TABLE".length()).trim();
        if (upper.contains("IF NOT EXISTS")) {
            h = h.substring(h.toUpperCase(Locale.ROOT).indexOf("EXISTS") + 6).trim();
        }
        // `db`.`t` or `t`
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < h.length()) {
            if (h.charAt(i) == '`') {
                int end = endOfBacktick(h, i);
                parts.add(h.substring(i + 1, end).replace("``", "`"));
                i = end + 1;
            } else if (h.charAt(i) == '.' || Character.isWhitespace(h.charAt(i))) {
                i++;
            } else {
                int j = i;
                while (j < h.length() && h.charAt(j) != '.' && !Character.isWhitespace(h.charAt(j))) {
                    j++;
                }
                parts.add(h.substring(i, j));
                i = j;
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("CREATE TABLE without a name");
        }
        return parts.get(parts.size() - 1);
    }

    private static Column parseColumn(String def, String tableCharset) {
        int end = endOfBacktick(def, 0);
        String name = def.substring(1, end).replace("``", "`");
        String rest = def.substring(end + 1).trim();
        String upperRest = rest.toUpperCase(Locale.ROOT);
        int i = 0;
        while (i < rest.length() && (Character.isLetterOrDigit(rest.charAt(i)) || rest.charAt(i) == '_')) {
            i++;
        }
        String type = rest.substring(0, i).toLowerCase(Locale.ROOT);
        String args = "";
        if (i < rest.length() && rest.charAt(i) == '(') {
            int close = matchingParen(rest, i);
            args = rest.substring(i + 1, close);
            i = close + 1;
        }
        String mods = upperRest.substring(Math.min(i, upperRest.length()));
        String bare = blankQuoted(mods);
        boolean generated = GENERATED.matcher(bare).find();
        boolean invisible = INVISIBLE.matcher(bare).find();
        boolean unsigned = mods.contains("UNSIGNED");
        String charset = optionIn(rest.substring(Math.min(i, rest.length())), "CHARACTER SET");
        if (charset == null) {
            String collate = optionIn(rest.substring(Math.min(i, rest.length())), "COLLATE");
            charset = collate == null ? null : collate.substring(0, collate.indexOf('_') < 0 ? collate.length() : collate.indexOf('_'));
        }
        if (charset == null) {
            charset = tableCharset;
        }
        int n1 = 0;
        int n2 = 0;
        List<String> labels = List.of();
        if (type.equals("enum") || type.equals("set")) {
            labels = parseLabels(args);
        } else if (!args.isEmpty()) {
            String[] nums = args.split(",");
            n1 = Integer.parseInt(nums[0].trim());
            if (nums.length > 1) {
                n2 = Integer.parseInt(nums[1].trim());
            }
        }
        boolean binaryCharset = "binary".equalsIgnoreCase(charset);
        ColumnType.Kind kind = switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "bool", "boolean" -> ColumnType.Kind.INT;
            case "year" -> ColumnType.Kind.YEAR;
            case "decimal", "numeric", "dec", "fixed" -> ColumnType.Kind.DECIMAL;
            case "float" -> n1 > 24 ? ColumnType.Kind.DOUBLE : ColumnType.Kind.FLOAT;
            case "double", "real" -> ColumnType.Kind.DOUBLE;
            case "bit" -> ColumnType.Kind.BIT;
            case "date" -> ColumnType.Kind.DATE;
            case "time" -> ColumnType.Kind.TIME;
            case "datetime" -> ColumnType.Kind.DATETIME;
            case "timestamp" -> ColumnType.Kind.TIMESTAMP;
            case "char", "nchar" -> binaryCharset ? ColumnType.Kind.BINARY : ColumnType.Kind.CHAR;
            case "varchar", "nvarchar", "tinytext", "text", "mediumtext", "longtext", "uuid", "inet4", "inet6" ->
                    binaryCharset ? ColumnType.Kind.BYTES : ColumnType.Kind.TEXT;
            case "enum" -> ColumnType.Kind.ENUM;
            case "set" -> ColumnType.Kind.SET;
            case "binary" -> ColumnType.Kind.BINARY;
            case "json" -> ColumnType.Kind.JSON;
            default -> ColumnType.Kind.BYTES; // varbinary, blobs, spatial types
        };
        int length = switch (kind) {
            case CHAR, BINARY -> args.isEmpty() ? 1 : n1;
            case BIT -> args.isEmpty() ? 1 : n1;
            default -> 0;
        };
        int scale = switch (kind) {
            case DECIMAL -> n2;
            case TIME, DATETIME, TIMESTAMP -> n1;
            default -> 0;
        };
        boolean text = kind == ColumnType.Kind.CHAR || kind == ColumnType.Kind.TEXT
                || kind == ColumnType.Kind.ENUM || kind == ColumnType.Kind.SET;
        return new Column(name, new ColumnType(kind, type, unsigned, length, scale,
                text ? charset.toLowerCase(Locale.ROOT) : null, labels), generated, invisible);
    }

    /** {@code GENERATED ALWAYS AS (…)} or the short {@code AS (…)} of a generated column (after the type). */
    private static final java.util.regex.Pattern GENERATED =
            java.util.regex.Pattern.compile("(?:^|\\s)(?:GENERATED\\s+ALWAYS\\s+)?AS\\s*\\(");
    /** MariaDB's {@code INVISIBLE}, MySQL's {@code /*!80023 INVISIBLE *}{@code /}. */
    private static final java.util.regex.Pattern INVISIBLE = java.util.regex.Pattern.compile("(?:^|[\\s*!0-9])INVISIBLE\\b");

    /** The text with the inside of every quoted string and identifier blanked, so a DEFAULT or COMMENT cannot look like a keyword. */
    static String blankQuoted(String def) {
        StringBuilder b = new StringBuilder(def.length());
        char quote = 0;
        for (int i = 0; i < def.length(); i++) {
            char c = def.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`') {
                    b.append("  ");
                    i++;
                    continue;
                }
                if (c == quote) {
                    if (i + 1 < def.length() && def.charAt(i + 1) == quote) {
                        b.append("  ");
                        i++;
                        continue;
                    }
                    quote = 0;
                    b.append(c);
                    continue;
                }
                b.append(' ');
            } else {
                if (c == '\'' || c == '"' || c == '`') {
                    quote = c;
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    private static List<String> parseLabels(String args) {
        List<String> labels = new ArrayList<>();
        int i = 0;
        while (i < args.length()) {
            char c = args.charAt(i);
            if (c == '\'') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < args.length()) {
                    char d = args.charAt(i);
                    if (d == '\'' && i + 1 < args.length() && args.charAt(i + 1) == '\'') {
                        sb.append('\'');
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        break;
                    } else if (d == '\\' && i + 1 < args.length()) {
                        sb.append(args.charAt(i + 1));
                        i += 2;
                    } else {
                        sb.append(d);
                        i++;
                    }
                }
                labels.add(sb.toString());
            } else {
                i++;
            }
        }
        return labels;
    }

    private static String option(String tableOptions, String key) {
        String upper = tableOptions.toUpperCase(Locale.ROOT);
        int at = upper.indexOf(key + "=");
        int len = key.length() + 1;
        if (at < 0) {
            at = upper.indexOf(key + " ");
            len = key.length() + 1;
        }
        if (at < 0) {
            return null;
        }
        String rest = tableOptions.substring(at + len).trim();
        if (rest.startsWith("=")) {
            rest = rest.substring(1).trim();
        }
        int j = 0;
        while (j < rest.length() && (Character.isLetterOrDigit(rest.charAt(j)) || rest.charAt(j) == '_')) {
            j++;
        }
        return j == 0 ? null : rest.substring(0, j);
    }

    private static String optionIn(String mods, String key) {
        return option(mods, key);
    }

    static String unquoteIdent(String s) {
        s = s.trim();
        if (s.startsWith("`") && s.endsWith("`") && s.length() >= 2) {
            return s.substring(1, s.length() - 1).replace("``", "`");
        }
        return s;
    }

    private static int endOfBacktick(String s, int start) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == '`') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '`') {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("unterminated identifier in: " + s);
    }

    /** Index of the parenthesis closing the one at {@code open}, skipping quoted text. */
    static int matchingParen(String s, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`') {
                    i++;
                } else if (c == quote) {
                    if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                        i++;
                    } else {
                        quote = 0;
                    }
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses in CREATE TABLE");
    }

    static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`') {
                    i++;
                } else if (c == quote) {
                    if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                        i++;
                    } else {
                        quote = 0;
                    }
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    @Override
    public String toString() {
        return "TableSchema[" + name + " " + columns.size() + " columns, primary key " + primaryKey() + "]";
    }
}
