package dev.rewind.pitr.reconstruct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DumpRowReaderTest {

    static Path resource(String dir) throws URISyntaxException {
        return Path.of(DumpRowReaderTest.class.getResource("/dumps/" + dir + "/metadata").toURI()).getParent();
    }

    static List<SqlValue[]> readAll(TableSchema schema, InputStream in) throws IOException {
        List<SqlValue[]> rows = new ArrayList<>();
        try (DumpRowReader r = DumpRowReader.open(in, schema, "test")) {
            while (r.next()) {
                rows.add(r.row().values());
            }
        }
        return rows;
    }

    private static SqlValue text(String s) {
        return new SqlValue.Text(s.getBytes(StandardCharsets.UTF_8));
    }

    private static SqlValue bin(String hex) {
        return new SqlValue.Binary(HexFormat.of().parseHex(hex));
    }

    /** Real mydumper 0.10 output of a table with every MySQL type, from MariaDB 10.11 and MySQL 8.0. */
    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql8"})
    void readsEveryTypeAsMydumperWroteIt(String source) throws Exception {
        MydumperDump dump = MydumperDump.open(resource(source));
        TableSchema s = dump.tableSchema("prc_probe", "alltypes");
        List<SqlValue[]> rows = readAll(s, dump.dataFiles("prc_probe", "alltypes").get(0).open());
        assertEquals(3, rows.size());
        SqlValue[] r = rows.get(0);
        int i = 0;
        assertEquals(new SqlValue.Int(1, false), r[i++]);
        assertEquals(SqlValue.integer(-2147483648L), r[i++]);
        assertEquals(SqlValue.integer(4294967295L), r[i++]);
        assertEquals(SqlValue.integer(-128), r[i++]);
        assertEquals(SqlValue.integer(65535), r[i++]);
        assertEquals(SqlValue.integer(-8388608), r[i++]);
        assertEquals(SqlValue.integer(Long.MIN_VALUE), r[i++]);
        assertEquals(new SqlValue.Int(-1L, true), r[i]);
        assertEquals("18446744073709551615", r[i++].toString());
        assertEquals(new SqlValue.Decimal(new BigDecimal("-12345678901234.123456")), r[i++]);
        assertEquals(new SqlValue.Real(3.14159f, true), r[i++]);
        assertEquals(new SqlValue.Real(-2.718281828459045e100, false), r[i++]);
        assertEquals(new SqlValue.Bits(1), r[i++]);
        assertEquals(new SqlValue.Bits(0b101010101010), r[i++]);
        assertEquals(new SqlValue.Bits(-1L), r[i++]);
        assertEquals(new SqlValue.Temporal("2024-02-29"), r[i++]);
        assertEquals(new SqlValue.Temporal("-838:59:59.000"), r[i++]);
        assertEquals(new SqlValue.Temporal("2024-03-20 12:34:56.123456"), r[i++]);
        assertEquals(new SqlValue.Temporal("2024-03-20 12:34:56.654321"), r[i++]);
        assertEquals(SqlValue.integer(2155), r[i++]);
        assertEquals(text("abc"), r[i++]);
        assertEquals(text("it's a \"quote\" \\ back\nslash\ttab\r\0nul \u001a ctrlz"), r[i++]);
        assertEquals(text("emoji 😀🎉 日本語"), r[i++]);
        assertEquals(new SqlValue.Text("café".getBytes(Charset.forName("windows-1252"))), r[i++]);
        assertEquals(bin("00FF1027"), r[i++]);
        assertEquals(bin("000102030405060708090A0B0C0D0E0F1A5C27225C0D0A"), r[i++]);
        assertEquals(bin("DEADBEEF00275C"), r[i++]);
        assertEquals(text("c d"), r[i++]);
        assertEquals(text("x,z"), r[i++]);
        SqlValue js = r[i++];
        if (source.equals("mysql8")) {
            assertInstanceOf(SqlValue.Json.class, js);
            assertEquals(new SqlValue.Json("{\"b\":null,\"emoji\":\"😀\",\"a\":[1,2.50,\"x\\\"y\"]}"), js);
        } else {
            assertEquals(text("{\"a\": [1, 2.5, \"x\\\"y\"], \"b\": null, \"emoji\": \"😀\"}"), js);
        }
        assertEquals(s.columnCount(), i);

        for (SqlValue v : rows.get(1)) {
            if (v != rows.get(1)[0]) {
                assertEquals(SqlValue.NULL, v);
            }
        }
        SqlValue[] z = rows.get(2);
        assertEquals(new SqlValue.Decimal(new BigDecimal("0.000001")), z[8]);
        assertEquals(new SqlValue.Bits(0), z[11]);
        assertEquals(new SqlValue.Temporal("00:00:00.000"), z[15]);
        assertEquals(text(""), z[20]);
        assertEquals(bin("00000000"), z[23]);
        assertEquals(bin(""), z[24]);
    }

    @Test
    void readsEscapesQuotesAndLiteralFormsMydumperAndMysqldumpUse() throws Exception {
        TableSchema s = TableSchema.parse("CREATE TABLE `t` (`id` int NOT NULL, `a` varchar(20), `b` varbinary(8),"
                + " `c` bit(8), PRIMARY KEY (`id`)) DEFAULT CHARSET=utf8mb4");
        String sql = "-- a comment\n/*!40101 SET NAMES binary*/;\nSET @x='a;b';\n"
                + "INSERT INTO `t` VALUES\n(1,'it''s','\\0\\b\\t','\\n'),\n( 2 , \"a\\\\b\\%\" , 0x00FF , b'101' );\n"
                + "# another\nINSERT INTO `t` VALUES (3,_utf8mb4'x,y)',X'4142',NULL),(-4,NULL,_binary 'z',0b11);\n";
        List<SqlValue[]> rows = readAll(s, new ByteArrayInputStream(sql.getBytes(StandardCharsets.UTF_8)));
        assertEquals(4, rows.size());
        assertEquals(text("it's"), rows.get(0)[1]);
        assertArrayEquals(new byte[] {0, 8, 9}, ((SqlValue.Binary) rows.get(0)[2]).bytes());
        assertEquals(new SqlValue.Bits('\n'), rows.get(0)[3]);
        assertEquals(SqlValue.integer(2), rows.get(1)[0]);
        assertEquals(text("a\\b\\%"), rows.get(1)[1]);
        assertEquals(bin("00FF"), rows.get(1)[2]);
        assertEquals(new SqlValue.Bits(5), rows.get(1)[3]);
        assertEquals(text("x,y)"), rows.get(2)[1]);
        assertEquals(bin("4142"), rows.get(2)[2]);
        assertEquals(SqlValue.NULL, rows.get(2)[3]);
        assertEquals(SqlValue.integer(-4), rows.get(3)[0]);
        assertEquals(bin("7A"), rows.get(3)[2]);
        assertEquals(new SqlValue.Bits(3), rows.get(3)[3]);
    }

    /** A reader that hands out one byte per read call: every value crosses a buffer refill. */
    @Test
    void rowsSplitAcrossEveryPossibleReadBoundaryParseTheSame() throws Exception {
        MydumperDump dump = MydumperDump.open(resource("mysql8"));
        TableSchema s = dump.tableSchema("prc_probe", "alltypes");
        byte[] file = dump.dataFiles("prc_probe", "alltypes").get(0).open().readAllBytes();
        List<SqlValue[]> whole = readAll(s, new ByteArrayInputStream(file));
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(file)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        List<SqlValue[]> trickled = readAll(s, trickle);
        assertEquals(whole.size(), trickled.size());
        for (int i = 0; i < whole.size(); i++) {
            assertArrayEquals(whole.get(i), trickled.get(i));
        }
    }

    @Test
    void readsGzipDataFilesAndBigRowsThatOutgrowTheBuffer() throws Exception {
        TableSchema s = TableSchema.parse("CREATE TABLE `t` (`id` int NOT NULL, `b` longblob, PRIMARY KEY (`id`))");
        byte[] big = new byte[600_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        SqlLiteralBuilder lit = new SqlLiteralBuilder(16);
        lit.ascii("INSERT INTO `t` VALUES\n(1,").quoted(big, 0, big.length).ascii("),\n(2,NULL);\n");
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(lit.buffer(), 0, lit.length());
        }
        List<SqlValue[]> rows = readAll(s, new ByteArrayInputStream(bo.toByteArray()));
        assertEquals(2, rows.size());
        assertArrayEquals(big, ((SqlValue.Binary) rows.get(0)[1]).bytes());
    }

    @Test
    void aRowWithTheWrongNumberOfValuesIsAnErrorNamingTheFile() {
        TableSchema s = TableSchema.parse("CREATE TABLE `t` (`id` int NOT NULL, `a` int, PRIMARY KEY (`id`))");
        IOException e = assertThrows(IOException.class, () -> readAll(s,
                new ByteArrayInputStream("INSERT INTO `t` VALUES (1,2),(3);".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(e.getMessage().contains("has 1 values"), e.getMessage());
        assertThrows(IOException.class, () -> readAll(s,
                new ByteArrayInputStream("INSERT INTO `t` VALUES (1,'abc".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void aFileWithoutInsertsHasNoRows() throws Exception {
        TableSchema s = TableSchema.parse("CREATE TABLE `t` (`id` int NOT NULL, PRIMARY KEY (`id`))");
        try (DumpRowReader r = DumpRowReader.open(new ByteArrayInputStream(
                "/*!40101 SET NAMES binary*/;\n".getBytes(StandardCharsets.US_ASCII)), s, "x")) {
            assertFalse(r.next());
        }
    }
}
