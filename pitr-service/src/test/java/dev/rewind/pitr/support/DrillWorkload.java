package dev.rewind.pitr.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random schema and a random workload on it, all drawn from one seed, for the recovery drill: a parent, a child
 * and a grandchild joined by foreign keys with cascades (ON DELETE CASCADE or SET NULL, ON UPDATE CASCADE), a table
 * with a two-column key, and a table without a key that holds duplicate rows; columns of many types, a VIRTUAL and a
 * STORED generated column (on the keys, which the workload re-keys) and an INVISIBLE column (in the table with the
 * stored generated column). The workload
 * inserts, updates, deletes (also through the cascades), re-keys parents, REPLACEs, writes multi-table transactions
 * (some rolled back), and between phases alters tables (ADD/DROP/RENAME/MODIFY COLUMN, a rebuild) and truncates.
 * The same seed on the same source state gives the same statements, so a failure can be replayed.
 */
public final class DrillWorkload {

    /** The column types the drill draws from, each with a value generator. */
    private static final List<String> TYPES = List.of("tinyint", "smallint unsigned", "mediumint", "int", "int unsigned",
            "bigint", "bigint unsigned", "decimal(10,2)", "decimal(65,30)", "float", "double", "bit(1)", "bit(13)", "bit(64)",
            "year", "date", "datetime", "datetime(3)", "datetime(6)", "timestamp(2)", "time", "time(4)",
            "enum('new','paid','shipped','cancelled')", "set('a','b','c','d')", "char(10) character set latin1",
            "varchar(40) character set utf8mb4", "varchar(30) character set utf8mb3", "text", "varbinary(16)", "blob",
            "json");

    /** One table of the drill: its name, key columns and other columns (name to type), in order. */
    public static final class Table {
        public final String name;
        final List<String> key;
        final Map<String, String> columns = new LinkedHashMap<>();

        Table(String name, List<String> key) {
            this.name = name;
            this.key = key;
        }

        List<String> valueColumns() {
            List<String> cols = new ArrayList<>();
            for (String c : columns.keySet()) {
                if (!key.contains(c) && !c.equals("pid") && !c.equals("cid")) {
                    cols.add(c);
                }
            }
            return cols;
        }
    }

    private final Random random;
    private final String childRule;
    public final List<Table> tables = new ArrayList<>();
    private final Table parent;
    private final Table child;
    private final Table grandchild;
    private final Table composite;
    private final Table keyless;
    private int nextParentId = 1;
    private int nextColumn = 1;
    /** Statements the workload ran (committed or not), for the drill's figures. */
    public long statements;
    /** Schema changes and TRUNCATEs it ran. */
    public long ddl;

    public DrillWorkload(long seed) {
        this.random = new Random(seed);
        this.childRule = (seed & 1) == 0 ? "cascade" : "set null"; // so the suite's two sources get one each
        parent = table("p", List.of("id"), 3);
        child = table("c", List.of("id"), 2);
        grandchild = table("g", List.of("id"), 2);
        composite = table("m", List.of("a", "b"), 3);
        keyless = table("k", List.of(), 3);
        // written by name like the others; SELECT * leaves it out (mydumper 0.10 too, but not in a table with a generated
        // column, whose columns it names: backup-service refuses to back up the others)
        composite.columns.put("vinv", "int invisible");
    }

    private Table table(String name, List<String> key, int valueColumns) {
        Table t = new Table(name, key);
        for (int i = 0; i < valueColumns; i++) {
            t.columns.put("v" + nextColumn++, TYPES.get(random.nextInt(TYPES.size())));
        }
        tables.add(t);
        return t;
    }

    /** The rule of the child's foreign key to the parent, for the drill's report. */
    public String childRule() {
        return childRule;
    }

    /** Creates the tables in the (current) schema of the statement's connection and loads {@code rows} rows each. */
    public void create(Statement s, int rows) throws SQLException {
        s.execute("create table p (id int primary key, gv bigint as (id * 3) virtual" + columnsSql(parent) + ")");
        s.execute("create table c (id int auto_increment primary key, pid int" + columnsSql(child) + ", foreign key (pid) "
                + "references p (id) on delete " + childRule + " on update cascade)");
        s.execute("create table g (id int auto_increment primary key, cid int not null" + columnsSql(grandchild)
                + ", foreign key (cid) references c (id) on delete cascade on update cascade)");
        s.execute("create table m (a int not null, b varchar(10) not null, gs varchar(24) as (concat(b, ':', a)) stored"
                + columnsSql(composite) + ", primary key (a, b))");
        s.execute("create table k (" + columnsSql(keyless).substring(2) + ")");
        child.columns.put("pid", "int");
        grandchild.columns.put("cid", "int");
        for (int i = 0; i < rows; i++) {
            insertParent(s);
            insertChild(s);
            insertGrandchild(s);
            insertComposite(s, false);
            insertKeyless(s);
        }
    }

    private String columnsSql(Table t) {
        StringBuilder sql = new StringBuilder();
        for (Map.Entry<String, String> c : t.columns.entrySet()) {
            sql.append(", ").append(c.getKey()).append(' ').append(c.getValue()).append(" null");
        }
        return sql.toString();
    }

    /**
     * One phase: {@code transactions} transactions of one to four statements each (about one in ten rolled back), then,
     * with probability {@code ddlChance}, a schema change or a TRUNCATE.
     */
    public void phase(Connection c, int transactions, double ddlChance) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < transactions; i++) {
                boolean multi = random.nextInt(3) == 0;
                if (multi) {
                    c.setAutoCommit(false);
                }
                int n = multi ? 2 + random.nextInt(3) : 1;
                for (int j = 0; j < n; j++) {
                    step(s);
                }
                if (multi) {
                    if (random.nextInt(10) == 0) {
                        c.rollback();
                    } else {
                        c.commit();
                    }
                    c.setAutoCommit(true);
                }
            }
            if (random.nextDouble() < ddlChance) {
                schemaChange(s);
            }
        }
    }

    private void step(Statement s) throws SQLException {
        switch (random.nextInt(16)) {
            case 0, 1 -> insertParent(s);
            case 2, 3 -> insertChild(s);
            case 4 -> insertGrandchild(s);
            case 5 -> insertComposite(s, random.nextBoolean());
            case 6 -> insertKeyless(s);
            case 7 -> update(s, pick(tables));
            case 8 -> update(s, pick(tables));
            case 9 -> deleteByKey(s, parent); // cascades to c (and g), or sets c.pid null
            case 10 -> deleteByKey(s, pick(List.of(child, grandchild, composite)));
            case 11 -> run(s, "delete from k limit 1");
            case 12 -> rekeyParent(s);
            case 13 -> replaceParent(s);
            case 14 -> updateMany(s, pick(tables));
            default -> insertKeylessTwice(s);
        }
    }

    private void insertParent(Statement s) throws SQLException {
        int rows = 1 + random.nextInt(3);
        StringBuilder sql = new StringBuilder("insert into p (id" + names(parent) + ") values ");
        for (int i = 0; i < rows; i++) {
            sql.append(i > 0 ? ", " : "").append("(").append(nextParentId++).append(values(parent)).append(")");
        }
        run(s, sql.toString());
    }

    private void insertChild(Statement s) throws SQLException {
        Integer pid = someKey(s, "p", "id");
        run(s, "insert into c (pid" + names(child) + ") values (" + (pid == null || random.nextInt(8) == 0 ? "null" : pid)
                + values(child) + ")");
    }

    private void insertGrandchild(Statement s) throws SQLException {
        Integer cid = someKey(s, "c", "id");
        if (cid != null) {
            run(s, "insert into g (cid" + names(grandchild) + ") values (" + cid + values(grandchild) + ")");
        }
    }

    private void insertComposite(Statement s, boolean replace) throws SQLException {
        int a = random.nextInt(40);
        String b = "'" + "xyz".charAt(random.nextInt(3)) + random.nextInt(3) + "'";
        String verb = replace ? "replace" : "insert ignore";
        run(s, verb + " into m (a, b" + names(composite) + ") values (" + a + ", " + b + values(composite) + ")");
    }

    private void insertKeyless(Statement s) throws SQLException {
        run(s, "insert into k (" + names(keyless).substring(2) + ") values (" + values(keyless).substring(2) + ")");
    }

    private void insertKeylessTwice(Statement s) throws SQLException {
        String row = "(" + values(keyless).substring(2) + ")";
        run(s, "insert into k (" + names(keyless).substring(2) + ") values " + row + ", " + row);
    }

    private void update(Statement s, Table t) throws SQLException {
        List<String> cols = t.valueColumns();
        if (cols.isEmpty()) {
            return;
        }
        String col = pick(cols);
        String set = col + " = " + value(t.columns.get(col));
        if (t == keyless) {
            run(s, "update k set " + set + " limit 1");
        } else if (t == composite) {
            run(s, "update m set " + set + " where a = " + random.nextInt(40));
        } else {
            Integer id = someKey(s, t.name, "id");
            if (id != null) {
                run(s, "update " + t.name + " set " + set + " where id = " + id);
            }
        }
    }

    private void updateMany(Statement s, Table t) throws SQLException {
        List<String> cols = t.valueColumns();
        if (cols.isEmpty()) {
            return;
        }
        String col = pick(cols);
        String where = t == keyless || t == composite ? "" : " where id % " + (2 + random.nextInt(3)) + " = 0";
        run(s, "update " + t.name + " set " + col + " = " + value(t.columns.get(col)) + where);
    }

    private void deleteByKey(Statement s, Table t) throws SQLException {
        if (t == composite) {
            run(s, "delete from m where a = " + random.nextInt(40));
            return;
        }
        Integer id = someKey(s, t.name, "id");
        if (id != null) {
            run(s, "delete from " + t.name + " where id = " + id);
        }
    }

    private void rekeyParent(Statement s) throws SQLException {
        Integer id = someKey(s, "p", "id");
        if (id != null) {
            run(s, "update p set id = " + nextParentId++ + " where id = " + id); // ON UPDATE CASCADE re-keys c.pid
        }
    }

    private void replaceParent(Statement s) throws SQLException {
        Integer id = someKey(s, "p", "id");
        if (id != null) {
            run(s, "replace into p (id" + names(parent) + ") values (" + id + values(parent) + ")");
        }
    }

    /** A schema change on one of c, g, m and k, or a TRUNCATE of one that no foreign key points at. */
    private void schemaChange(Statement s) throws SQLException {
        Table t = pick(List.of(child, grandchild, composite, keyless));
        List<String> cols = t.valueColumns();
        ddl++;
        switch (random.nextInt(7)) {
            case 0 -> {
                String name = "v" + nextColumn++;
                String type = TYPES.get(random.nextInt(TYPES.size()));
                boolean withDefault = !type.equals("text") && !type.equals("blob") && !type.equals("json")
                        && random.nextBoolean();
                String after = cols.isEmpty() || random.nextBoolean() ? "" : " after " + pick(cols);
                run(s, "alter table " + t.name + " add column " + name + " " + type + " null"
                        + (withDefault ? " default " + value(type) : "") + after);
                t.columns.put(name, type);
            }
            case 1 -> {
                if (cols.size() < 2) {
                    ddl--;
                    return;
                }
                String col = pick(cols);
                run(s, "alter table " + t.name + " drop column " + col);
                t.columns.remove(col);
            }
            case 2 -> {
                if (cols.isEmpty()) {
                    ddl--;
                    return;
                }
                String col = pick(cols);
                String name = "v" + nextColumn++;
                run(s, "alter table " + t.name + " rename column " + col + " to " + name);
                rename(t, col, name);
            }
            case 3 -> {
                String col = cols.stream().filter(c -> widened(t.columns.get(c)) != null).findFirst().orElse(null);
                if (col == null) {
                    ddl--;
                    return;
                }
                String wider = widened(t.columns.get(col));
                run(s, "alter table " + t.name + " modify column " + col + " " + wider + " null");
                t.columns.put(col, wider);
            }
            case 4 -> run(s, "alter table " + t.name + " engine = InnoDB"); // a rebuild, no row events
            default -> {
                Table emptied = pick(List.of(grandchild, composite, keyless));
                run(s, "truncate table " + emptied.name);
            }
        }
    }

    private static void rename(Table t, String from, String to) {
        Map<String, String> renamed = new LinkedHashMap<>();
        t.columns.forEach((k, v) -> renamed.put(k.equals(from) ? to : k, v));
        t.columns.clear();
        t.columns.putAll(renamed);
    }

    /** A type that holds every value of {@code type}, or null. */
    private static String widened(String type) {
        return switch (type) {
            case "tinyint" -> "smallint";
            case "mediumint", "int" -> "bigint";
            case "smallint unsigned" -> "int unsigned";
            case "decimal(10,2)" -> "decimal(20,4)";
            case "varchar(40) character set utf8mb4" -> "varchar(120) character set utf8mb4";
            case "float" -> "double";
            default -> null;
        };
    }

    /** A random existing key value of the table (read in key order, so that the seed decides), or null when empty. */
    private Integer someKey(Statement s, String table, String column) throws SQLException {
        List<Integer> keys = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("select " + column + " from " + table + " order by " + column + " limit 200")) {
            while (rs.next()) {
                keys.add(rs.getInt(1));
            }
        }
        return keys.isEmpty() ? null : keys.get(random.nextInt(keys.size()));
    }

    private void run(Statement s, String sql) throws SQLException {
        statements++;
        s.execute(sql);
    }

    private static String names(Table t) {
        StringBuilder sql = new StringBuilder();
        for (String c : t.valueColumns()) {
            sql.append(", ").append(c);
        }
        return sql.toString();
    }

    private String values(Table t) {
        StringBuilder sql = new StringBuilder();
        for (String c : t.valueColumns()) {
            sql.append(", ").append(value(t.columns.get(c)));
        }
        return sql.toString();
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** A literal of the type, sometimes NULL, with edge values among the ordinary ones. */
    String value(String type) {
        if (random.nextInt(12) == 0) {
            return "null";
        }
        boolean edge = random.nextInt(6) == 0;
        String base = type.contains("(") ? type.substring(0, type.indexOf('(')) : type.split(" ")[0];
        boolean unsigned = type.contains("unsigned");
        return switch (base) {
            case "tinyint" -> Integer.toString(edge ? (random.nextBoolean() ? 127 : -128) : random.nextInt(200) - 100);
            case "smallint" -> Integer.toString(unsigned ? (edge ? 65535 : random.nextInt(65536))
                    : edge ? -32768 : random.nextInt(65536) - 32768);
            case "mediumint" -> Integer.toString(edge ? -8388608 : random.nextInt(16777216) - 8388608);
            case "int" -> unsigned ? Long.toString(edge ? 4294967295L : random.nextInt(Integer.MAX_VALUE))
                    : Integer.toString(edge ? Integer.MIN_VALUE : random.nextInt());
            case "bigint" -> unsigned ? (edge ? "18446744073709551615" : Long.toUnsignedString(random.nextLong()))
                    : Long.toString(edge ? Long.MIN_VALUE : random.nextLong());
            case "decimal" -> type.startsWith("decimal(65") ? decimal65(edge)
                    : String.format("%d.%02d", random.nextInt(200_000_000) - 100_000_000, random.nextInt(100));
            case "float" -> edge ? "-0.0" : Float.toString((random.nextFloat() - 0.5f) * (float) Math.pow(10, random.nextInt(20) - 5));
            case "double" -> edge ? (random.nextBoolean() ? "1.7976931348623157E308" : "-0.0")
                    : Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(60) - 20));
            case "bit" -> {
                int bits = Integer.parseInt(type.substring(4, type.indexOf(')')));
                long v = bits == 64 ? random.nextLong() : random.nextLong() & ((1L << bits) - 1);
                yield "b'" + Long.toBinaryString(edge && bits == 64 ? -1L : v) + "'";
            }
            case "year" -> Integer.toString(edge ? 2155 : 1901 + random.nextInt(254));
            case "date" -> "'" + date(edge) + "'";
            case "datetime" -> "'" + date(edge) + " " + time(23) + fraction(type) + "'";
            case "timestamp" -> "'" + (1971 + random.nextInt(66)) + "-" + two(1 + random.nextInt(12)) + "-"
                    + two(1 + random.nextInt(28)) + " " + time(23) + fraction(type) + "'";
            case "time" -> "'" + (random.nextBoolean() ? "-" : "") + (edge ? "838:59:59" : random.nextInt(839) + ":"
                    + two(random.nextInt(60)) + ":" + two(random.nextInt(60)) + fraction(type)) + "'";
            case "enum" -> "'" + pick(List.of("new", "paid", "shipped", "cancelled")) + "'";
            case "set" -> "'" + pick(List.of("", "a", "b,c", "a,b,c,d", "d")) + "'";
            case "char" -> "'" + pick(List.of("", "abc", "Zürich", "ÅÆØ", "x y")) + "'";
            case "varchar" -> "'" + pick(List.of("", "plain", "naïve café", "日本語", "emoji 😀", "it''s", "back\\\\slash"))
                    .replace("😀", type.contains("utf8mb3") ? "?" : "😀") + "'";
            case "text" -> "'" + "lorem ipsum ".repeat(random.nextInt(40)) + "'";
            case "varbinary", "blob" -> {
                byte[] bytes = new byte[base.equals("blob") ? random.nextInt(300) : random.nextInt(17)];
                random.nextBytes(bytes);
                yield bytes.length == 0 ? "''" : "x'" + HexFormat.of().formatHex(bytes) + "'";
            }
            case "json" -> pick(List.of("'{}'", "'[]'", "'{\"a\": 1, \"b\": [true, null, \"x\"]}'", "'\"text\"'", "'3.25'",
                    "'{\"nested\": {\"k\": [1, 2, {\"z\": -0.5}]}}'"));
            default -> throw new IllegalArgumentException(type);
        };
    }

    private String decimal65(boolean edge) {
        if (edge) {
            return (random.nextBoolean() ? "-" : "") + "9".repeat(35) + "." + "9".repeat(30);
        }
        StringBuilder digits = new StringBuilder(random.nextBoolean() ? "-" : "");
        digits.append(1 + random.nextInt(9));
        for (int i = 0; i < random.nextInt(34); i++) {
            digits.append(random.nextInt(10));
        }
        digits.append('.');
        for (int i = 0; i < 30; i++) {
            digits.append(random.nextInt(10));
        }
        return digits.toString();
    }

    private String date(boolean edge) {
        if (edge) {
            return random.nextBoolean() ? "1000-01-01" : "9999-12-31";
        }
        return (1000 + random.nextInt(9000)) + "-" + two(1 + random.nextInt(12)) + "-" + two(1 + random.nextInt(28));
    }

    private String time(int maxHour) {
        return two(random.nextInt(maxHour + 1)) + ":" + two(random.nextInt(60)) + ":" + two(random.nextInt(60));
    }

    private String fraction(String type) {
        int open = type.indexOf('(');
        int digits = open < 0 ? 0 : Integer.parseInt(type.substring(open + 1, type.indexOf(')')));
        if (digits == 0) {
            return "";
        }
        StringBuilder f = new StringBuilder(".");
        for (int i = 0; i < digits; i++) {
            f.append(random.nextInt(10));
        }
        return f.toString();
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
