package dev.rewind.pitr.reconstruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The round trip with the real tools, on both local sources: mydumper takes a baseline; writes
 * (updates of every type, deletes, inserts, a delete and re-insert of one key, primary key
 * changes, duplicate rows in a table without a key) run on the source; the row changes are
 * handed to the engine as JSON images (as the index stores them); the output is restored by
 * myloader into a fresh database and compared row by row with the source's tables.
 */
class MyloaderRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = env("REWIND_MARIADB_HOST", "127.0.0.1");
    private static final String ROOT_PASSWORD = env("REWIND_SOURCE_ROOT_PASSWORD", "root");

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mariadb,REWIND_MARIADB_PORT,3307,true", "mysql8,REWIND_MYSQL8_PORT,3308,false"})
    void outputRestoredByMyloaderEqualsTheSourceAtTheTarget(String source, String portVar, String dfltPort,
                                                            boolean gzipBaseline, @TempDir Path tmp) throws Exception {
        int port = Integer.parseInt(env(portVar, dfltPort));
        String db = "prc_" + UUID.randomUUID().toString().substring(0, 8);
        String restored = db + "_r";
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + HOST + ":" + port
                + "/?user=root&password=" + ROOT_PASSWORD + "&allowPublicKeyRetrieval=true")) {
            try {
                createAndFill(c, db);
                Path base = tmp.resolve("base");
                mydumper(port, db, base, gzipBaseline);
                writeAfterTheBaseline(c, db);
                Path truth = tmp.resolve("truth"); // the source at the target, only to derive the row images
                mydumper(port, db, truth, false);

                MydumperDump baseline = MydumperDump.open(base);
                MydumperDump atTarget = MydumperDump.open(truth);
                Path out = tmp.resolve("out");
                DumpWriter w = DumpWriter.create(out, WriterOptions.defaults().withGzip(!gzipBaseline)
                        .withFileRows(120).withStatementBytes(8_000));
                w.writeDatabase(db, baseline.createDatabaseSql(db));
                Map<String, MergeResult> results = new LinkedHashMap<>();
                for (String table : List.of("alltypes", "comp", "nopk", "empty_t")) {
                    TableSchema before = baseline.tableSchema(db, table);
                    TableSchema target = atTarget.tableSchema(db, table);
                    List<RowChange> changes = throughJson(target, changesBetween(target,
                            rows(baseline, db, table), rows(atTarget, db, table)));
                    results.put(table, w.writeTable(db, target, before, baseline.dataFiles(db, table), changes.iterator()));
                }
                Manifest manifest = w.finish(atTarget.metadata());
                assertTrue(manifest.fileCount() >= 8, manifest.toString());
                assertEquals(MergeResult.NO_PRIMARY_KEY, results.get("nopk").matchedOn());
                results.values().forEach(r -> assertEquals(List.of(), r.warnings(), r.table()));
                assertTrue(results.get("alltypes").rowsReplaced() > 0 && results.get("alltypes").rowsDeleted() > 0
                        && results.get("alltypes").rowsAdded() > 0, results.get("alltypes").toString());

                myloader(port, out, restored);
                for (String table : List.of("alltypes", "comp", "nopk", "empty_t")) {
                    List<String> expected = select(c, db, table);
                    List<String> actual = select(c, restored, table);
                    assertEquals(expected.size(), actual.size(), table + " row count");
                    for (int i = 0; i < expected.size(); i++) {
                        assertEquals(expected.get(i), actual.get(i), table + " row " + i);
                    }
                }
            } finally {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP DATABASE IF EXISTS `" + db + "`");
                    st.execute("DROP DATABASE IF EXISTS `" + restored + "`");
                }
            }
        }
    }

    private static void createAndFill(Connection c, String db) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4");
            st.execute("USE `" + db + "`");
            st.execute("""
                    CREATE TABLE alltypes (
                      id INT NOT NULL PRIMARY KEY,
                      i_s INT, i_u INT UNSIGNED, ti TINYINT, si SMALLINT UNSIGNED, mi MEDIUMINT, bi BIGINT, bu BIGINT UNSIGNED,
                      dec1 DECIMAL(20,6), f FLOAT, d DOUBLE,
                      b1 BIT(1), b12 BIT(12), b64 BIT(64),
                      dt DATE, tm TIME(3), dtm DATETIME(6), ts TIMESTAMP(6) NULL, yr YEAR,
                      c CHAR(10), vc VARCHAR(200), tx TEXT, l1 VARCHAR(50) CHARACTER SET latin1,
                      bn BINARY(4), vb VARBINARY(64), bl BLOB,
                      en ENUM('a','b','c d'), st SET('x','y','z'),
                      js JSON
                    ) DEFAULT CHARSET=utf8mb4""");
            st.execute("""
                    INSERT INTO alltypes
                    WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 300)
                    SELECT n, (n * 7919 % 100000) - 50000, n * 14316557, (n % 256) - 128, n * 13 % 65536,
                      (n * 77 % 16777216) - 8388608, n * -30744573456182584, CAST(n AS UNSIGNED) * 50000000000000000,
                      n / 7, n / 3, n / 7e10,
                      n % 2, n % 4096, CAST(n AS UNSIGNED) * 61489146912365,
                      DATE('2000-01-01') + INTERVAL n DAY, SEC_TO_TIME(n * 997 - 150000 + n / 1000),
                      TIMESTAMP('2020-01-01 00:00:00') + INTERVAL n * 1234567 MICROSECOND,
                      FROM_UNIXTIME(1600000000 + n * 3601.123456), 1901 + n % 255,
                      CONCAT('c', n), CONCAT('it''s \\\\ "q" ', n, '\\n\\t\\r', CHAR(0), CHAR(26)),
                      CONCAT('emoji 😀 ', REPEAT('é', n % 5)), CONCAT('café', n),
                      UNHEX(LPAD(HEX(n * 2654435761 % 4294967296), 8, '0')), UNHEX(SHA2(n, 256)),
                      UNHEX(CONCAT(SHA2(n, 512), '005C2722')),
                      ELT(1 + n % 3, 'a', 'b', 'c d'), ELT(1 + n % 4, '', 'x', 'y,z', 'x,y,z'),
                      JSON_OBJECT('n', n, 's', CONCAT('q"', n, '\\\\'), 'f', n * 0.25e0, 'arr', JSON_ARRAY(1, 'é😀', NULL))
                    FROM seq""");
            st.execute("UPDATE alltypes SET i_s = NULL, vc = NULL, js = NULL, bl = NULL, ts = NULL, b64 = NULL, f = NULL"
                    + " WHERE id % 10 = 0");
            st.execute("CREATE TABLE comp (a INT NOT NULL, b VARCHAR(20) NOT NULL, c INT, PRIMARY KEY (b, a))");
            st.execute("INSERT INTO comp VALUES (1,'k1',10),(2,'k1',20),(1,'k2',30),(3,'k3',NULL)");
            st.execute("CREATE TABLE nopk (a INT, b VARCHAR(10))");
            st.execute("INSERT INTO nopk VALUES (1,'x'),(1,'x'),(2,NULL),(3,'y'),(4,'dup'),(4,'dup'),(4,'dup')");
            st.execute("CREATE TABLE empty_t (id BIGINT PRIMARY KEY, v VARCHAR(5))");
        }
    }

    private static void writeAfterTheBaseline(Connection c, String db) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("USE `" + db + "`");
            st.execute("UPDATE alltypes SET vc = CONCAT('upd \\\\ \\' ', id), i_s = -id, dtm = dtm + INTERVAL 1 DAY,"
                    + " bl = UNHEX('00FF5C27'), st = 'y', en = 'b', b12 = 4095, ts = '2038-01-19 03:14:07.999999',"
                    + " js = JSON_ARRAY(id, 'upd'), tx = CONCAT(tx, ' 🎉') WHERE id % 7 = 0");
            st.execute("DELETE FROM alltypes WHERE id % 11 = 0");
            st.execute("UPDATE alltypes SET id = id + 5000 WHERE id % 13 = 0");
            st.execute("DELETE FROM alltypes WHERE id = 5");
            st.execute("INSERT INTO alltypes (id, vc, tx, bn, js) VALUES (5, 'reborn', 'again 😀', 0x01, '{\"re\": true}')");
            st.execute("INSERT INTO alltypes (id, i_u, bu, dec1, f, d, b64, dt, tm, dtm, ts, yr, c, vc, vb, en, st)"
                    + " VALUES (1001, 4294967295, 18446744073709551615, -99999999999999.999999, -3.4e38, 1.7976931348623157e308,"
                    + " 18446744073709551615, '9999-12-31', '-838:59:59.000', '9999-12-31 23:59:59.999999',"
                    + " '1970-01-01 00:00:01.000001', 2155, 'z', '', '', 'c d', 'x,y,z'),"
                    + " (1002, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
            st.execute("UPDATE comp SET c = c + 1 WHERE a = 1");
            st.execute("DELETE FROM comp WHERE b = 'k1' AND a = 2");
            st.execute("INSERT INTO comp VALUES (5, 'k9', 50)");
            st.execute("UPDATE comp SET b = 'k7' WHERE a = 1 AND b = 'k2'");
            st.execute("DELETE FROM nopk WHERE a = 1 LIMIT 1");
            st.execute("DELETE FROM nopk WHERE a = 4 LIMIT 2");
            st.execute("UPDATE nopk SET b = 'z' WHERE a = 2");
            st.execute("INSERT INTO nopk VALUES (3, 'y'), (NULL, NULL)");
        }
    }

    private static List<SqlValue[]> rows(MydumperDump dump, String db, String table) throws IOException {
        TableSchema s = dump.tableSchema(db, table);
        List<SqlValue[]> rows = new ArrayList<>();
        for (DataFile f : dump.dataFiles(db, table)) {
            try (DumpRowReader r = DumpRowReader.open(f.open(), s, f.name())) {
                while (r.next()) {
                    rows.add(r.row().values());
                }
            }
        }
        return rows;
    }

    private static Map<String, SqlValue> image(TableSchema s, SqlValue[] row) {
        Map<String, SqlValue> m = new LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            m.put(s.columns().get(i).name(), row[i]);
        }
        return m;
    }

    private static List<SqlValue> key(TableSchema s, SqlValue[] row) {
        List<SqlValue> k = new ArrayList<>();
        for (int p : s.primaryKeyPositions()) {
            k.add(row[p]);
        }
        return k;
    }

    /**
     * The row events a binlog would carry between the two states, in a plausible order: deletes,
     * updates (some through an intermediate image, primary key moves as one update), then inserts;
     * key 5 as a delete followed by an insert.
     */
    static List<RowChange> changesBetween(TableSchema s, List<SqlValue[]> before, List<SqlValue[]> after) {
        List<RowChange> out = new ArrayList<>();
        if (!s.hasPrimaryKey()) {
            List<List<SqlValue>> rest = new ArrayList<>(after.stream().map(List::of).toList());
            for (SqlValue[] b : before) {
                if (!rest.remove(List.of(b))) {
                    out.add(RowChange.delete(image(s, b)));
                }
            }
            out.add(RowChange.insert(image(s, after.get(0))));   // noise: a row added and removed again
            out.add(RowChange.delete(image(s, after.get(0))));
            for (List<SqlValue> a : rest) {
                out.add(RowChange.insert(image(s, a.toArray(SqlValue[]::new))));
            }
            return out;
        }
        Map<List<SqlValue>, SqlValue[]> a = new LinkedHashMap<>();
        after.forEach(r -> a.put(key(s, r), r));
        Map<List<SqlValue>, SqlValue[]> b = new LinkedHashMap<>();
        before.forEach(r -> b.put(key(s, r), r));
        List<SqlValue[]> gone = new ArrayList<>();
        int n = 0;
        for (Map.Entry<List<SqlValue>, SqlValue[]> e : b.entrySet()) {
            SqlValue[] now = a.get(e.getKey());
            if (now == null) {
                gone.add(e.getValue());
            } else if (!java.util.Arrays.equals(now, e.getValue())) {
                if (e.getKey().equals(List.of(SqlValue.integer(5)))) {
                    out.add(RowChange.delete(image(s, e.getValue())));
                    out.add(RowChange.insert(image(s, now)));
                } else if (n++ % 3 == 0) {
                    SqlValue[] mid = e.getValue().clone();
                    mid[mid.length - 1] = now[mid.length - 1];
                    out.add(RowChange.update(image(s, e.getValue()), image(s, mid)));
                    out.add(RowChange.update(image(s, mid), image(s, now)));
                } else {
                    out.add(RowChange.update(image(s, e.getValue()), image(s, now)));
                }
            }
        }
        List<SqlValue[]> added = new ArrayList<>();
        for (Map.Entry<List<SqlValue>, SqlValue[]> e : a.entrySet()) {
            if (!b.containsKey(e.getKey())) {
                added.add(e.getValue());
            }
        }
        // a row whose only difference is its key moved (UPDATE … SET id = id + 5000): one update event
        for (SqlValue[] g : new ArrayList<>(gone)) {
            for (SqlValue[] ad : added) {
                if (sameExceptKey(s, g, ad)) {
                    out.add(RowChange.update(image(s, g), image(s, ad)));
                    gone.remove(g);
                    added.remove(ad);
                    break;
                }
            }
        }
        gone.forEach(g -> out.add(0, RowChange.delete(image(s, g))));
        added.forEach(ad -> out.add(RowChange.insert(image(s, ad))));
        return out;
    }

    private static boolean sameExceptKey(TableSchema s, SqlValue[] x, SqlValue[] y) {
        List<Integer> pk = java.util.Arrays.stream(s.primaryKeyPositions()).boxed().toList();
        for (int i = 0; i < x.length; i++) {
            if (!pk.contains(i) && !Objects.equals(x[i], y[i])) {
                return false;
            }
        }
        return true;
    }

    /** Each image goes through the JSON encoding the index stores, as text, and back. */
    private static List<RowChange> throughJson(TableSchema s, List<RowChange> changes) throws IOException {
        List<RowChange> out = new ArrayList<>();
        for (RowChange ch : changes) {
            out.add(new RowChange(ch.op(), viaJson(s, ch.before()), viaJson(s, ch.after())));
        }
        return out;
    }

    private static Map<String, SqlValue> viaJson(TableSchema s, Map<String, SqlValue> image) throws IOException {
        if (image == null) {
            return null;
        }
        String text = JSON.writeValueAsString(ValueCodec.encodeImage(s, image));
        JsonNode back = JSON.readTree(text);
        return ValueCodec.decodeImage(s, back);
    }

    private static void mydumper(int port, String db, Path dir, boolean gzip) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mydumper", "-h", HOST, "-P", String.valueOf(port), "-u", "root",
                "-p", ROOT_PASSWORD, "-B", db, "-o", dir.toString(), "-t", "2", "-r", "100", "-s", "10000"));
        if (gzip) {
            cmd.add("-c");
        }
        run(cmd);
    }

    private static void myloader(int port, Path dir, String db) throws Exception {
        String log = run(List.of("myloader", "-h", HOST, "-P", String.valueOf(port), "-u", "root", "-p", ROOT_PASSWORD,
                "-d", dir.toString(), "-B", db, "-t", "2"));
        assertFalse(log.contains("CRITICAL"), log);
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), cmd.get(0) + " timed out");
        assertEquals(0, p.exitValue(), cmd.get(0) + " failed: " + out);
        return out;
    }

    /** Every row of a table, every column as the server's text bytes (hex), in key order. */
    private static List<String> select(Connection c, String db, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM `" + db + "`.`" + table + "` ORDER BY 1, 2")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    String v;
                    try {
                        byte[] b = rs.getBytes(i);
                        v = b == null ? "NULL" : HexFormat.of().formatHex(b);
                    } catch (SQLException notBytes) { // numbers and temporals: their text
                        v = rs.getString(i);
                    }
                    sb.append(rs.getMetaData().getColumnName(i)).append('=').append(v).append(' ');
                }
                rows.add(sb.toString());
            }
        }
        return rows;
    }
}
