package dev.rewind.pitr.binlog;

import dev.rewind.source.SourceEndpoint;
import dev.rewind.source.SourceJdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Plain JDBC questions to a source server: its flavour, identity, binlog state and schema. Blocking: workers only. */
public final class SourceInspector {

    private static final Pattern AUTO_INCREMENT_COUNTER = Pattern.compile(" AUTO_INCREMENT=\\d+");
    private static final String USER_SCHEMAS =
            "table_schema not in ('mysql', 'information_schema', 'performance_schema', 'sys')";

    private final SourceEndpoint source;

    public SourceInspector(SourceEndpoint source) {
        this.source = source;
    }

    /** The server's binlog settings and who it is. */
    public record ServerInfo(boolean mariadb, String version, long serverId, String identity, boolean logBin,
            String binlogFormat, String rowImage, String rowMetadata, String gtidSet) {
    }

    /** One file of {@code SHOW BINARY LOGS}. */
    public record BinlogFile(String name, long size) {
    }

    static final java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofSeconds(10);
    static final java.time.Duration READ_TIMEOUT = java.time.Duration.ofSeconds(60);

    public Connection open() throws SQLException {
        return SourceJdbc.connect(source, CONNECT_TIMEOUT, READ_TIMEOUT);
    }

    public ServerInfo info() throws SQLException {
        try (Connection c = open(); Statement s = c.createStatement()) {
            String version;
            long serverId;
            String logBin;
            String format;
            String image;
            try (ResultSet rs = s.executeQuery(
                    "select @@version, @@server_id, @@log_bin, @@binlog_format, @@binlog_row_image")) {
                rs.next();
                version = rs.getString(1);
                serverId = rs.getLong(2);
                logBin = rs.getString(3);
                format = rs.getString(4);
                image = rs.getString(5);
            }
            boolean mariadb = version.toLowerCase().contains("mariadb");
            String metadata = variable(s, "binlog_row_metadata");
            String identity;
            String gtidSet;
            if (mariadb) {
                identity = "mariadb:" + serverId;
                gtidSet = variable(s, "gtid_binlog_pos");
            } else {
                identity = variable(s, "server_uuid");
                gtidSet = variable(s, "gtid_executed");
            }
            return new ServerInfo(mariadb, version, serverId, identity, "1".equals(logBin) || "ON".equalsIgnoreCase(logBin),
                    format, image, metadata, gtidSet == null || gtidSet.isBlank() ? null : gtidSet.replace("\n", ""));
        }
    }

    private static String variable(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("show global variables like '" + name + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    /** The position a new stream starts from: the end of the binlog now. */
    public BinlogPosition currentPosition() throws SQLException {
        try (Connection c = open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show master status")) {
            if (!rs.next()) {
                throw new SQLException("SHOW MASTER STATUS returned nothing: binary logging is off");
            }
            return new BinlogPosition(rs.getString(1), rs.getLong(2));
        }
    }

    public List<BinlogFile> binaryLogs() throws SQLException {
        try (Connection c = open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show binary logs")) {
            List<BinlogFile> files = new ArrayList<>();
            while (rs.next()) {
                files.add(new BinlogFile(rs.getString(1), rs.getLong(2)));
            }
            return files;
        }
    }

    /** Tables, columns, types, primary and foreign keys of every user schema. */
    public SchemaSnapshot snapshot() throws SQLException {
        Map<String, List<SchemaSnapshot.Column>> columns = new LinkedHashMap<>();
        Map<String, List<String>> primaryKeys = new LinkedHashMap<>();
        Map<String, Map<String, SchemaSnapshot.ForeignKey>> foreignKeys = new LinkedHashMap<>();
        List<String[]> tables = new ArrayList<>();
        try (Connection c = open(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select table_schema, table_name from information_schema.tables where "
                    + USER_SCHEMAS + " and table_type = 'BASE TABLE' order by table_schema, table_name")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            try (ResultSet rs = s.executeQuery("select table_schema, table_name, column_name, ordinal_position, data_type, "
                    + "column_type, is_nullable, character_set_name, character_octet_length from information_schema.columns where "
                    + USER_SCHEMAS + " order by table_schema, table_name, ordinal_position")) {
                while (rs.next()) {
                    long octetValue = rs.getLong(9);
                    Long octets = rs.wasNull() ? null : octetValue;
                    columns.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), k -> new ArrayList<>())
                            .add(new SchemaSnapshot.Column(rs.getString(3), rs.getInt(4), rs.getString(5).toLowerCase(),
                                    rs.getString(6), "YES".equals(rs.getString(7)), rs.getString(8),
                                    octets));
                }
            }
            try (ResultSet rs = s.executeQuery("select table_schema, table_name, constraint_name, column_name, "
                    + "referenced_table_schema, referenced_table_name, referenced_column_name from information_schema.key_column_usage "
                    + "where " + USER_SCHEMAS + " and (constraint_name = 'PRIMARY' or referenced_table_name is not null) "
                    + "order by table_schema, table_name, constraint_name, ordinal_position")) {
                while (rs.next()) {
                    String key = rs.getString(1) + "." + rs.getString(2);
                    String constraint = rs.getString(3);
                    if ("PRIMARY".equals(constraint)) {
                        primaryKeys.computeIfAbsent(key, k -> new ArrayList<>()).add(rs.getString(4));
                    } else {
                        String refSchema = rs.getString(5);
                        String refTable = rs.getString(6);
                        SchemaSnapshot.ForeignKey fk = foreignKeys.computeIfAbsent(key, k -> new LinkedHashMap<>())
                                .computeIfAbsent(constraint, n -> new SchemaSnapshot.ForeignKey(n, new ArrayList<>(),
                                        refSchema, refTable, new ArrayList<>()));
                        fk.columns().add(rs.getString(4));
                        fk.referencedColumns().add(rs.getString(7));
                    }
                }
            }
            Map<String, SchemaSnapshot.Table> result = new LinkedHashMap<>();
            for (String[] t : tables) {
                String key = t[0] + "." + t[1];
                String createSql = createTable(s, t[0], t[1]);
                if (createSql == null) {
                    continue; // dropped between the two reads: the next snapshot will not list it either
                }
                result.put(key, new SchemaSnapshot.Table(t[0], t[1], columns.getOrDefault(key, List.of()),
                        primaryKeys.getOrDefault(key, List.of()),
                        List.copyOf(foreignKeys.getOrDefault(key, Map.of()).values()), createSql));
            }
            return new SchemaSnapshot(result);
        }
    }

    /** The table's CREATE TABLE statement, its auto-increment counter removed (it changes with every insert); null when gone. */
    private static String createTable(Statement s, String schema, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("show create table " + quote(schema) + "." + quote(table))) {
            return rs.next() ? AUTO_INCREMENT_COUNTER.matcher(rs.getString(2)).replaceFirst("") : null;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146) { // ER_NO_SUCH_TABLE
                return null;
            }
            throw e;
        }
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
