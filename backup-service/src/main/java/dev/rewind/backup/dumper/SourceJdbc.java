package dev.rewind.backup.dumper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What backup-service reads of a MariaDB or MySQL server (the source, or a verification server) over a connection of
 * {@link dev.rewind.source.SourceJdbc}. Blocking: call it on a worker thread.
 */
public final class SourceJdbc {

    /**
     * A column as information_schema describes it: what a restore must reproduce.
     *
     * @param invisible an INVISIBLE column (MySQL 8.0.23+, MariaDB 10.3+): {@code SELECT *} leaves it out
     * @param generated a STORED or VIRTUAL generated column: the server computes its values
     */
    public record Column(String name, String type, boolean nullable, boolean invisible, boolean generated) {

        public Column(String name, String type, boolean nullable) {
            this(name, type, nullable, false, false);
        }

        /** From information_schema.columns.extra, e.g. {@code INVISIBLE}, {@code VIRTUAL GENERATED}, {@code DEFAULT_GENERATED}. */
        static Column of(String name, String type, boolean nullable, String extra) {
            String e = extra == null ? "" : extra.toUpperCase(java.util.Locale.ROOT);
            return new Column(name, type, nullable, e.contains("INVISIBLE"), GENERATED.matcher(e).find());
        }

        private static final java.util.regex.Pattern GENERATED = java.util.regex.Pattern.compile("\\b(VIRTUAL|STORED|PERSISTENT) GENERATED\\b");

        @Override
        public String toString() {
            return name + " " + type + (nullable ? " NULL" : " NOT NULL") + (invisible ? " INVISIBLE" : "")
                    + (generated ? " GENERATED" : "");
        }
    }

    static final java.util.Set<String> SYSTEM_SCHEMAS = java.util.Set.of("mysql", "sys", "information_schema", "performance_schema");

    private SourceJdbc() {
    }

    public static String version(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("select version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** {@code mariadb} when the version string says MariaDB, else {@code mysql}. */
    public static String kindOf(String version) {
        return version != null && version.toLowerCase().contains("mariadb") ? "mariadb" : "mysql";
    }

    /** The user schemas of the server (system schemas excluded), or those of {@code wanted} that exist, sorted. */
    public static List<String> schemas(Connection connection, Collection<String> wanted) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("select schema_name from information_schema.schemata order by schema_name")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (wanted.isEmpty() ? !SYSTEM_SCHEMAS.contains(name.toLowerCase()) : wanted.contains(name)) {
                    schemas.add(name);
                }
            }
        }
        return schemas;
    }

    /**
     * The columns of every base table of the given schemas (every user schema when empty), in column order, keyed by
     * {@code schema.table}.
     */
    public static Map<String, List<Column>> columns(Connection connection, Collection<String> schemas) throws SQLException {
        StringBuilder sql = new StringBuilder("""
                select c.table_schema, c.table_name, c.column_name, c.column_type, c.is_nullable, c.extra
                  from information_schema.columns c
                  join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                 where t.table_type = 'BASE TABLE'
                """);
        if (schemas.isEmpty()) {
            sql.append(" and c.table_schema not in ('mysql', 'sys', 'information_schema', 'performance_schema')"); // SYSTEM_SCHEMAS
        } else {
            sql.append(" and c.table_schema in (").append(String.join(",", schemas.stream().map(s -> "?").toList())).append(')');
        }
        sql.append(" order by c.table_schema, c.table_name, c.ordinal_position");
        Map<String, List<Column>> tables = new LinkedHashMap<>();
        try (PreparedStatement st = connection.prepareStatement(sql.toString())) {
            int i = 1;
            for (String schema : schemas) {
                st.setString(i++, schema);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    tables.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), k -> new ArrayList<>())
                            .add(Column.of(rs.getString(3), rs.getString(4), "YES".equalsIgnoreCase(rs.getString(5)),
                                    rs.getString(6)));
                }
            }
        }
        return tables;
    }

    /** Identifier quoting for names the service checked or made itself. */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
