package dev.rewind.backup.dumper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Names that come from the source and become file names or tool arguments. MySQL allows almost anything in a
 * quoted name ({@code ../../tmp/x} and {@code --version} are valid database names), and the dump tools write
 * {@code <db>.<table>…sql} files with them: a {@code /} would put a file outside the job's folder, a {@code .} in a
 * database name would restore its tables into another database. Such names are refused before a tool runs, naming
 * them; names that only look like options are harmless as files and go behind {@code --} where they are arguments.
 */
public final class DumpNames {

    private DumpNames() {
    }

    /** Why this database name cannot be dumped, or null when it can. */
    static String schemaProblem(String schema) {
        String problem = fileNameProblem(schema);
        if (problem != null) {
            return problem;
        }
        if (schema.indexOf('.') >= 0) {
            return "it holds a '.', which the dump's file names use to separate database and table";
        }
        return null;
    }

    /** Why this table (or view) name cannot be dumped, or null when it can. */
    static String tableProblem(String table) {
        return fileNameProblem(table);
    }

    /** Why a name cannot be part of a file name in the job's folder, or null. */
    private static String fileNameProblem(String name) {
        if (name.isEmpty()) {
            return "it is empty";
        }
        if (name.indexOf('\0') >= 0) {
            return "it holds a NUL character";
        }
        return name.indexOf('/') >= 0 ? "it holds a '/'" : null;
    }

    /**
     * Refuses the dump when a database to dump, or a table or view in one, has a name the dump cannot carry safely.
     *
     * @throws DumpFailed naming each such name and why
     */
    public static void refuseUnsafe(Connection connection, List<String> schemas) throws SQLException {
        List<String> problems = new ArrayList<>();
        for (String schema : schemas) {
            String problem = schemaProblem(schema);
            if (problem != null) {
                problems.add("database " + SourceJdbc.quote(schema) + ": " + problem);
            }
        }
        if (!schemas.isEmpty()) {
            String sql = "select table_schema, table_name from information_schema.tables where table_schema in ("
                    + String.join(",", schemas.stream().map(s -> "?").toList()) + ") order by 1, 2";
            try (PreparedStatement st = connection.prepareStatement(sql)) {
                for (int i = 0; i < schemas.size(); i++) {
                    st.setString(i + 1, schemas.get(i));
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String problem = tableProblem(rs.getString(2));
                        if (problem != null) {
                            problems.add("table " + SourceJdbc.quote(rs.getString(1)) + "." + SourceJdbc.quote(rs.getString(2))
                                    + ": " + problem);
                        }
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DumpFailed("The source has names a dump cannot write as files (" + String.join("; ", problems)
                    + "): rename them, or back up only the other databases");
        }
    }
}
