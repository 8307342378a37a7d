package dev.rewind.pitr.reconstruct;

import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A table's shape through the ALTER TABLEs between the baseline and the target. Rows (of the baseline, or images of
 * changes made under an earlier shape) are carried forward the way the server's table rebuild carried them: a column
 * kept by name or renamed keeps its value (converted when its type changed), a dropped column goes, an added one takes
 * its default, the columns come in the new order. The result is in the target's schema.
 */
public final class SchemaEvolution {

    /**
     * The table's shape from a binlog place on.
     *
     * @param seq         the binlog place of the DDL that gave it; rows written after it have this shape
     * @param schema      the shape (the schema snapshot after the DDL)
     * @param renamedFrom new column name (lower case) to its name before the DDL
     * @param readded     columns (lower case) dropped and added again by the DDL: they start from their default
     * @param at          when the DDL ran (for a {@code DEFAULT CURRENT_TIMESTAMP} column it added)
     * @param statement   the DDL, for messages
     */
    public record Step(long seq, TableSchema schema, Map<String, String> renamedFrom, Set<String> readded, Instant at,
            String statement) {
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final TableSchema first;
    private final List<Step> steps;
    private final Plan[] plans;

    /** One step's mapping: for each column of the new shape, the old column it comes from, or -1 for its default. */
    private static final class Plan {
        final TableSchema from;
        final Step to;
        final int[] source;
        final SqlValue[] defaults;

        Plan(TableSchema from, Step to) {
            this.from = from;
            this.to = to;
            List<Column> cols = to.schema().columns();
            source = new int[cols.size()];
            defaults = new SqlValue[cols.size()];
            for (int i = 0; i < cols.size(); i++) {
                String lower = cols.get(i).name().toLowerCase(Locale.ROOT);
                String old = to.renamedFrom().getOrDefault(lower, cols.get(i).name());
                int at = from.indexOf(old);
                if (at < 0) {
                    at = from.indexOf(cols.get(i).name()); // renamed already in the shape it comes from
                }
                source[i] = to.readded().contains(lower) ? -1 : at;
            }
        }

        SqlValue[] apply(SqlValue[] row) {
            List<Column> cols = to.schema().columns();
            SqlValue[] out = new SqlValue[cols.size()];
            for (int i = 0; i < out.length; i++) {
                if (cols.get(i).generated()) {
                    out[i] = SqlValue.NULL; // the server computes it
                } else if (source[i] >= 0 && from.columns().get(source[i]).generated()) {
                    throw new IllegalArgumentException("column " + cols.get(i).name() + " of " + to.schema().name()
                            + " was a generated column and became a stored one" + (to.statement() == null ? ""
                            : " (\"" + abbreviate(to.statement()) + "\")") + ": the values the server kept are not in the binlog");
                } else if (source[i] >= 0) {
                    out[i] = convert(from.columns().get(source[i]), cols.get(i), row[source[i]], to);
                } else {
                    if (defaults[i] == null) {
                        defaults[i] = defaultOf(to.schema(), i, to.at(), to.statement());
                    }
                    out[i] = defaults[i];
                }
            }
            return out;
        }
    }

    /**
     * @param first the shape of the baseline's rows
     * @param steps the later shapes in binlog order
     */
    public SchemaEvolution(TableSchema first, List<Step> steps) {
        this.first = first;
        this.steps = List.copyOf(steps);
        this.plans = new Plan[steps.size()];
        TableSchema previous = first;
        for (int i = 0; i < steps.size(); i++) {
            plans[i] = new Plan(previous, steps.get(i));
            previous = steps.get(i).schema();
        }
    }

    /** No change of shape: rows are taken as they are. */
    public static SchemaEvolution none(TableSchema schema) {
        return new SchemaEvolution(schema, List.of());
    }

    public boolean isNone() {
        return steps.isEmpty();
    }

    public TableSchema first() {
        return first;
    }

    public TableSchema last() {
        return steps.isEmpty() ? first : steps.get(steps.size() - 1).schema();
    }

    /** The shape of a row written at binlog place {@code seq}. */
    public TableSchema schemaAt(long seq) {
        TableSchema s = first;
        for (Step step : steps) {
            if (step.seq() < seq) {
                s = step.schema();
            } else {
                break;
            }
        }
        return s;
    }

    /** A row written at {@code seq} (in {@link #schemaAt}'s column order) carried to the last shape. */
    public SqlValue[] forward(SqlValue[] row, long seq) {
        SqlValue[] r = row;
        for (int i = 0; i < plans.length; i++) {
            if (steps.get(i).seq() >= seq) {
                r = plans[i].apply(r);
            }
        }
        return r;
    }

    /** A baseline row carried to the last shape. */
    public SqlValue[] forwardFromBaseline(SqlValue[] row) {
        return forward(row, RowFate.BASELINE);
    }

    private static final java.util.regex.Pattern ALTER_HEAD = java.util.regex.Pattern.compile(
            "^\\s*ALTER\\s+(?:ONLINE\\s+)?(?:IGNORE\\s+)?TABLE\\s+(?:IF\\s+EXISTS\\s+)?((?:`(?:[^`]|``)+`|[\\w$]+)(?:\\s*\\.\\s*(?:`(?:[^`]|``)+`|[\\w$]+))?)\\s*",
            java.util.regex.Pattern.CASE_INSENSITIVE);
    private static final java.util.regex.Pattern CHARSET_WORD = java.util.regex.Pattern.compile("(?i)\\bcharset\\b");

    /**
     * The table's shape after an ALTER TABLE, from the statement itself: column clauses (ADD, DROP, CHANGE, MODIFY,
     * RENAME COLUMN, ALTER … SET/DROP DEFAULT, FIRST/AFTER) and the primary key (ADD/DROP PRIMARY KEY), other clauses
     * leave the columns alone. A schema snapshot taken when the stream read the statement may already show later
     * statements; the statement's own text does not.
     *
     * @throws IllegalArgumentException when the statement is not an ALTER TABLE this can read
     */
    public static TableSchema applyAlter(TableSchema before, String alter) {
        java.util.regex.Matcher head = ALTER_HEAD.matcher(alter);
        if (!head.find()) {
            throw new IllegalArgumentException("not an ALTER TABLE: " + abbreviate(alter));
        }
        List<String[]> cols = new java.util.ArrayList<>(); // name, definition
        for (int i = 0; i < before.columnCount(); i++) {
            cols.add(new String[] {before.columns().get(i).name(), before.definition(i)});
        }
        List<String> pk = new java.util.ArrayList<>(before.primaryKey());
        String charset = before.tableCharset();
        for (String raw : TableSchema.splitTopLevel(alter.substring(head.end()))) {
            String clause = raw.trim();
            String upper = clause.toUpperCase(Locale.ROOT);
            java.util.regex.Matcher m;
            if ((m = clauseMatch("^ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?\\(", clause)) != null) {
                int open = clause.indexOf('(', m.end() - 1);
                for (String def : TableSchema.splitTopLevel(clause.substring(open + 1, TableSchema.matchingParen(clause, open)))) {
                    String[] nd = nameAndRest(def.trim());
                    cols.add(new String[] {nd[0], positionless(nd[1])[0]});
                }
            } else if (upper.matches("^ADD\\s+(CONSTRAINT\\b.*\\s+)?PRIMARY\\s+KEY.*")) {
                int open = clause.indexOf('(');
                pk = new java.util.ArrayList<>();
                for (String part : TableSchema.splitTopLevel(clause.substring(open + 1, TableSchema.matchingParen(clause, open)))) {
                    String c = part.trim();
                    int len = c.lastIndexOf('(');
                    if (len > 0 && c.endsWith(")") && c.lastIndexOf('`') < len) {
                        c = c.substring(0, len).trim();
                    }
                    pk.add(TableSchema.unquoteIdent(c));
                }
            } else if (upper.matches("^DROP\\s+PRIMARY\\s+KEY.*")) {
                pk = new java.util.ArrayList<>();
            } else if (upper.matches("^ADD\\s+(INDEX|KEY|UNIQUE|FULLTEXT|SPATIAL|CONSTRAINT|FOREIGN|CHECK|PARTITION|PERIOD|SYSTEM)\\b.*")
                    || upper.matches("^DROP\\s+(INDEX|KEY|FOREIGN|CONSTRAINT|CHECK|PARTITION|SYSTEM)\\b.*")) {
                // indexes and constraints: no effect on columns
            } else if ((m = clauseMatch("^ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?", clause)) != null) {
                String[] nd = nameAndRest(clause.substring(m.end()));
                String[] dp = positionless(nd[1]);
                cols.removeIf(c -> c[0].equalsIgnoreCase(nd[0])); // IF NOT EXISTS, or a shape that has it already
                place(cols, new String[] {nd[0], dp[0]}, dp[1]);
            } else if ((m = clauseMatch("^DROP\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?", clause)) != null) {
                String name = nameAndRest(clause.substring(m.end()))[0];
                cols.removeIf(c -> c[0].equalsIgnoreCase(name));
                pk.removeIf(c -> c.equalsIgnoreCase(name));
            } else if ((m = clauseMatch("^CHANGE\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?", clause)) != null) {
                String[] oldRest = nameAndRest(clause.substring(m.end()));
                String[] nd = nameAndRest(oldRest[1]);
                String[] dp = positionless(nd[1]);
                replace(cols, pk, oldRest[0], new String[] {nd[0], dp[0]}, dp[1]);
            } else if ((m = clauseMatch("^MODIFY\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?", clause)) != null) {
                String[] nd = nameAndRest(clause.substring(m.end()));
                String[] dp = positionless(nd[1]);
                replace(cols, pk, nd[0], new String[] {nd[0], dp[0]}, dp[1]);
            } else if ((m = clauseMatch("^RENAME\\s+COLUMN\\s+", clause)) != null) {
                String[] oldRest = nameAndRest(clause.substring(m.end()));
                String rest = oldRest[1].trim().replaceFirst("(?i)^TO\\s+", "");
                String now = nameAndRest(rest)[0];
                for (String[] c : cols) {
                    if (c[0].equalsIgnoreCase(oldRest[0])) {
                        c[0] = now;
                    }
                }
                pk.replaceAll(c -> c.equalsIgnoreCase(oldRest[0]) ? now : c);
            } else if ((m = clauseMatch("^ALTER\\s+(?:COLUMN\\s+)?", clause)) != null) {
                String[] nd = nameAndRest(clause.substring(m.end()));
                String action = nd[1].trim();
                for (String[] c : cols) {
                    if (c[0].equalsIgnoreCase(nd[0])) {
                        String def = c[1].replaceFirst("(?i)\\s+DEFAULT\\s+('(?:[^'\\\\]|''|\\\\.)*'|\\([^)]*\\)|\\S+)", "");
                        if (action.toUpperCase(Locale.ROOT).startsWith("SET DEFAULT")) {
                            def = def + " DEFAULT " + action.substring("SET DEFAULT".length()).trim();
                        }
                        c[1] = def;
                    }
                }
            } else if ((m = clauseMatch("^CONVERT\\s+TO\\s+(?:CHARACTER\\s+SET|CHARSET)\\s+", clause)) != null) {
                String cs = nameAndRest(clause.substring(m.end()))[0];
                charset = cs;
                for (String[] c : cols) {
                    c[1] = c[1].replaceAll("(?i)\\s+(CHARACTER\\s+SET|CHARSET)\\s+\\w+", "").replaceAll("(?i)\\s+COLLATE\\s+\\w+", "");
                }
            }
        }
        StringBuilder create = new StringBuilder("CREATE TABLE `").append(before.name().replace("`", "``")).append("` (\n");
        for (int i = 0; i < cols.size(); i++) {
            create.append(i == 0 ? "  `" : ",\n  `").append(cols.get(i)[0].replace("`", "``")).append("` ")
                    .append(CHARSET_WORD.matcher(cols.get(i)[1]).replaceAll("CHARACTER SET"));
        }
        if (!pk.isEmpty()) {
            create.append(",\n  PRIMARY KEY (");
            for (int i = 0; i < pk.size(); i++) {
                create.append(i == 0 ? "`" : ", `").append(pk.get(i).replace("`", "``")).append('`');
            }
            create.append(')');
        }
        create.append("\n) DEFAULT CHARSET=").append(charset);
        return TableSchema.parse(create.toString());
    }

    private static java.util.regex.Matcher clauseMatch(String regex, String clause) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.CASE_INSENSITIVE).matcher(clause);
        return m.find() ? m : null;
    }

    /** A leading identifier (quoted or not) and the text after it. */
    private static String[] nameAndRest(String s) {
        s = s.trim();
        if (s.startsWith("`")) {
            int i = 1;
            while (i < s.length()) {
                if (s.charAt(i) == '`') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '`') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i++;
            }
            return new String[] {s.substring(1, i).replace("``", "`"), s.substring(Math.min(i + 1, s.length()))};
        }
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '(' && s.charAt(i) != ',') {
            i++;
        }
        return new String[] {s.substring(0, i), s.substring(i)};
    }

    /** A column definition without its trailing FIRST / AFTER col, and that position ("" when none). */
    private static String[] positionless(String def) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s+(FIRST|AFTER\\s+(`(?:[^`]|``)+`|[\\w$]+))\\s*$")
                .matcher(def);
        if (m.find()) {
            return new String[] {def.substring(0, m.start()).trim(), m.group(1)};
        }
        return new String[] {def.trim(), ""};
    }

    private static void place(List<String[]> cols, String[] col, String position) {
        if (position.isEmpty()) {
            cols.add(col);
        } else if (position.equalsIgnoreCase("FIRST")) {
            cols.add(0, col);
        } else {
            String after = nameAndRest(position.substring("AFTER".length()))[0];
            for (int i = 0; i < cols.size(); i++) {
                if (cols.get(i)[0].equalsIgnoreCase(after)) {
                    cols.add(i + 1, col);
                    return;
                }
            }
            cols.add(col);
        }
    }

    private static void replace(List<String[]> cols, List<String> pk, String old, String[] col, String position) {
        int at = -1;
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i)[0].equalsIgnoreCase(old)) {
                at = i;
            }
        }
        if (at < 0) {
            for (int i = 0; i < cols.size(); i++) {
                if (cols.get(i)[0].equalsIgnoreCase(col[0])) {
                    at = i; // changed already in the shape given
                }
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("no column " + old + " to change");
        }
        pk.replaceAll(c -> c.equalsIgnoreCase(old) ? col[0] : c);
        if (position.isEmpty()) {
            cols.set(at, col);
        } else {
            cols.remove(at);
            place(cols, col, position);
        }
    }

    /** A value of column {@code from} carried into column {@code to}, as an ALTER converts it. */
    static SqlValue convert(Column from, Column to, SqlValue v, Step step) {
        if (v == null || v instanceof SqlValue.Null) {
            return SqlValue.NULL;
        }
        ColumnType a = from.type();
        ColumnType b = to.type();
        if (a.equals(b)) {
            return v;
        }
        try {
            if (a.isText() && b.isText()) {
                byte[] bytes = ((SqlValue.Text) v).bytes();
                if (!a.javaCharset().equals(b.javaCharset())) {
                    bytes = new String(bytes, a.javaCharset()).getBytes(b.javaCharset());
                }
                return b.canonical(new SqlValue.Text(bytes));
            }
            if (b.isText()) {
                String text;
                if (v instanceof SqlValue.Decimal d) {
                    text = d.value().setScale(Math.max(a.scale(), 0), RoundingMode.HALF_UP).toPlainString();
                } else if (v instanceof SqlValue.Int i) {
                    text = i.toBigInteger().toString();
                } else if (v instanceof SqlValue.Temporal t) {
                    text = t.text();
                } else if (v instanceof SqlValue.Binary bin) {
                    text = new String(bin.bytes(), b.javaCharset());
                } else if (v instanceof SqlValue.Json j) {
                    text = j.text();
                } else {
                    text = v.toString();
                }
                return b.canonical(new SqlValue.Text(text.getBytes(b.javaCharset())));
            }
            SqlValue source = v;
            if (a.isText() && v instanceof SqlValue.Text t) {
                source = new SqlValue.Text(new String(t.bytes(), a.javaCharset()).trim().getBytes(StandardCharsets.UTF_8));
            }
            SqlValue c = b.canonical(source);
            if (c instanceof SqlValue.Decimal d && d.value().scale() > b.scale()) {
                return new SqlValue.Decimal(d.value().setScale(b.scale(), RoundingMode.HALF_UP));
            }
            if (c instanceof SqlValue.Int i && (b.kind() == ColumnType.Kind.INT)) {
                return new SqlValue.Int(i.value(), b.unsigned());
            }
            return c;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("column " + from.name() + " cannot be carried from " + a.sqlName() + " to "
                    + b.sqlName() + " across \"" + abbreviate(step == null ? "" : step.statement()) + "\": " + e.getMessage(), e);
        }
    }

    /** The value an ALTER gives existing rows in column {@code i} of {@code schema}: its default. */
    public static SqlValue defaultOf(TableSchema schema, int i, Instant at) {
        return defaultOf(schema, i, at, null);
    }

    static SqlValue defaultOf(TableSchema schema, int i, Instant at, String statement) {
        Column column = schema.columns().get(i);
        ColumnType type = column.type();
        String def = schema.definition(i);
        String bare = TableSchema.blankQuoted(def).toUpperCase(Locale.ROOT);
        String where = statement == null ? "" : " (added by \"" + abbreviate(statement) + "\")";
        if (bare.contains("AUTO_INCREMENT")) {
            throw new IllegalArgumentException("column " + column.name() + " of " + schema.name() + " is AUTO_INCREMENT"
                    + where + ": the numbers the server gave existing rows are not in the binlog");
        }
        int d = indexOfWord(bare, "DEFAULT");
        if (d >= 0) {
            int s = d + "DEFAULT".length();
            while (s < def.length() && def.charAt(s) == ' ') {
                s++;
            }
            String literal = literalAt(def, s);
            String upper = literal.toUpperCase(Locale.ROOT);
            if (upper.startsWith("CURRENT_TIMESTAMP") || upper.startsWith("NOW(") || upper.startsWith("LOCALTIMESTAMP")) {
                if (type.kind() == ColumnType.Kind.TIMESTAMP && at != null && type.scale() == 0) {
                    return type.canonical(new SqlValue.Temporal(SECONDS.format(at)));
                }
                throw new IllegalArgumentException("column " + column.name() + " of " + schema.name() + " defaults to "
                        + literal + where + ": the value the server gave existing rows is not in the binlog"
                        + (type.kind() == ColumnType.Kind.TIMESTAMP ? " to that precision" : " (it depends on the session time zone)"));
            }
            if (literal.startsWith("(") || (!literal.isEmpty() && Character.isLetter(literal.charAt(0))
                    && !upper.equals("NULL") && !(literal.length() > 1 && literal.charAt(1) == '\'')
                    && !literal.startsWith("_"))) {
                throw new IllegalArgumentException("column " + column.name() + " of " + schema.name() + " defaults to the "
                        + "expression " + literal + where + ": the values the server computed for existing rows are not in the binlog");
            }
            byte[] bytes = literal.getBytes(type.isText() ? type.javaCharset() : StandardCharsets.UTF_8);
            return type.canonical(RawRow.decode(type, bytes, 0, bytes.length));
        }
        if (!bare.contains("NOT NULL")) {
            return SqlValue.NULL;
        }
        return switch (type.kind()) {
            case INT, YEAR, DECIMAL, FLOAT, DOUBLE, BIT -> type.canonical(type.fromNumber("0"));
            case DATE -> new SqlValue.Temporal("0000-00-00");
            case TIME -> type.canonical(new SqlValue.Temporal("00:00:00"));
            case DATETIME, TIMESTAMP -> type.canonical(new SqlValue.Temporal("0000-00-00 00:00:00"));
            case ENUM -> type.canonical(new SqlValue.Text(type.labels().isEmpty() ? new byte[0]
                    : type.labels().get(0).getBytes(type.javaCharset())));
            case CHAR, TEXT, SET, BINARY, BYTES -> type.canonical(new SqlValue.Text(new byte[0]));
            case JSON -> throw new IllegalArgumentException("column " + column.name() + " of " + schema.name()
                    + " is JSON NOT NULL without a default" + where + ": the value the server gave existing rows is not known");
        };
    }

    /** The literal or expression starting at {@code s}: a quoted string (with an introducer), a parenthesis, a word. */
    private static String literalAt(String def, int s) {
        int i = s;
        if (i < def.length() && def.charAt(i) == '_') { // _utf8mb4'x'
            while (i < def.length() && def.charAt(i) != '\'' && def.charAt(i) != ' ') {
                i++;
            }
        }
        if (i < def.length() && (def.charAt(i) == 'b' || def.charAt(i) == 'x' || def.charAt(i) == 'X' || def.charAt(i) == 'B')
                && i + 1 < def.length() && def.charAt(i + 1) == '\'') {
            i++;
        }
        if (i < def.length() && def.charAt(i) == '\'') {
            int j = i + 1;
            while (j < def.length()) {
                char c = def.charAt(j);
                if (c == '\\') {
                    j += 2;
                } else if (c == '\'' && j + 1 < def.length() && def.charAt(j + 1) == '\'') {
                    j += 2;
                } else if (c == '\'') {
                    break;
                } else {
                    j++;
                }
            }
            return def.substring(s, Math.min(j + 1, def.length()));
        }
        if (i < def.length() && def.charAt(i) == '(') {
            return def.substring(i, TableSchema.matchingParen(def, i) + 1);
        }
        int j = i;
        while (j < def.length() && def.charAt(j) != ' ') {
            if (def.charAt(j) == '(') {
                j = TableSchema.matchingParen(def, j);
            }
            j++;
        }
        return def.substring(s, j);
    }

    private static int indexOfWord(String upper, String word) {
        int from = 0;
        while (true) {
            int at = upper.indexOf(word, from);
            if (at < 0) {
                return -1;
            }
            boolean start = at == 0 || upper.charAt(at - 1) == ' ';
            boolean end = at + word.length() >= upper.length() || upper.charAt(at + word.length()) == ' ';
            if (start && end) {
                return at;
            }
            from = at + 1;
        }
    }


    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
