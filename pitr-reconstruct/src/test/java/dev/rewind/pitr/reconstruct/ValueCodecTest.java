package dev.rewind.pitr.reconstruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ValueCodecTest {
    private static final ObjectMapper M = new ObjectMapper();

    /** Every value of the real dumps survives encode → JSON text → decode unchanged. */
    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql8"})
    void everyDumpedValueRoundTripsThroughJson(String source) throws Exception {
        MydumperDump dump = MydumperDump.open(DumpRowReaderTest.resource(source));
        TableSchema s = dump.tableSchema("prc_probe", "alltypes");
        for (SqlValue[] row : DumpRowReaderTest.readAll(s, dump.dataFiles("prc_probe", "alltypes").get(0).open())) {
            Map<String, SqlValue> image = new java.util.LinkedHashMap<>();
            for (int i = 0; i < row.length; i++) {
                image.put(s.columns().get(i).name(), row[i]);
            }
            String json = M.writeValueAsString(ValueCodec.encodeImage(s, image));
            Map<String, SqlValue> back = ValueCodec.decodeImage(s, M.readTree(json));
            assertEquals(image, back, json);
        }
    }

    @Test
    void encodingIsTheDocumentedOne() throws Exception {
        MydumperDump dump = MydumperDump.open(DumpRowReaderTest.resource("mysql8"));
        TableSchema s = dump.tableSchema("prc_probe", "alltypes");
        SqlValue[] row = DumpRowReaderTest.readAll(s, dump.dataFiles("prc_probe", "alltypes").get(0).open()).get(0);
        Map<String, SqlValue> image = new java.util.LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            image.put(s.columns().get(i).name(), row[i]);
        }
        JsonNode j = ValueCodec.encodeImage(s, image);
        assertEquals("18446744073709551615", j.get("bu").toString());
        assertEquals("\"-12345678901234.123456\"", j.get("dec1").toString());
        assertEquals("3.14159", j.get("f").toString());
        assertEquals("-2.718281828459045E100", j.get("d").toString());
        assertEquals("2730", j.get("b12").toString());
        assertEquals("18446744073709551615", j.get("b64").toString());
        assertEquals("\"2024-02-29\"", j.get("dt").toString());
        assertEquals("\"-838:59:59.000\"", j.get("tm").toString());
        assertEquals("\"2024-03-20T12:34:56.123456\"", j.get("dtm").toString());
        assertEquals("\"2024-03-20T12:34:56.654321Z\"", j.get("ts").toString());
        assertEquals("2155", j.get("yr").toString());
        assertEquals("emoji 😀🎉 日本語", j.get("tx").asText());
        assertEquals("café", j.get("l1").asText());
        assertEquals("AP8QJw==", j.get("bn").asText());
        assertEquals("c d", j.get("en").asText());
        assertEquals("x,z", j.get("st").asText());
        assertTrue(j.get("js").isTextual());
    }

    @Test
    void decodingAcceptsWhatABinlogReaderNaturallyProduces() throws Exception {
        MydumperDump dump = MydumperDump.open(DumpRowReaderTest.resource("mysql8"));
        TableSchema s = dump.tableSchema("prc_probe", "alltypes");
        Map<String, SqlValue> v = ValueCodec.decodeImage(s, M.readTree("""
                {"id": "7", "dec1": 1.50, "dtm": "2024-03-20 12:34:56.1", "ts": "2024-03-20T12:34:56.654321+00:00",
                 "tm": "10:00:00", "en": 3, "st": 5, "b12": "Cqo=", "c": "ab  ", "bn": "AP8=",
                 "js": "{\\"b\\": 1, \\"a\\": [1.0]}"}"""));
        assertEquals(SqlValue.integer(7), v.get("id"));
        assertEquals(new SqlValue.Decimal(new java.math.BigDecimal("1.5")), v.get("dec1"));
        assertEquals(new SqlValue.Temporal("2024-03-20 12:34:56.100000"), v.get("dtm"));
        assertEquals(new SqlValue.Temporal("2024-03-20 12:34:56.654321"), v.get("ts"));
        assertEquals(new SqlValue.Temporal("10:00:00.000"), v.get("tm"));
        assertEquals(SqlValue.text("c d", java.nio.charset.StandardCharsets.UTF_8), v.get("en"));
        assertEquals(SqlValue.text("x,z", java.nio.charset.StandardCharsets.UTF_8), v.get("st"));
        assertEquals(new SqlValue.Bits(0b101010101010), v.get("b12"));
        assertEquals(SqlValue.text("ab", java.nio.charset.StandardCharsets.UTF_8), v.get("c"), "CHAR has no trailing spaces");
        assertEquals(new SqlValue.Binary(new byte[] {0, (byte) 0xff, 0, 0}), v.get("bn"), "BINARY(4) padded with 0x00");
        assertEquals(new SqlValue.Json("{\"a\":[1],\"b\":1}"), v.get("js"), "JSON compares as a value");
    }

    @Test
    void textThatIsNotValidInItsCharsetIsKeptAsBase64() throws Exception {
        TableSchema s = TableSchema.parse("CREATE TABLE t (`id` int NOT NULL, `v` varchar(5), PRIMARY KEY (`id`)) DEFAULT CHARSET=utf8mb4");
        SqlValue bad = new SqlValue.Text(new byte[] {(byte) 0xff, 'a'});
        JsonNode j = ValueCodec.encode(s.columns().get(1).type(), bad);
        assertEquals("{\"base64\":\"/2E=\"}", j.toString());
        assertEquals(bad, ValueCodec.decode(s.columns().get(1).type(), j));
    }

    @Test
    void unknownColumnsAndUndecodableValuesAreRejected() {
        TableSchema s = TableSchema.parse("CREATE TABLE t (`id` int NOT NULL, PRIMARY KEY (`id`))");
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.decodeImage(s, M.readTree("{\"nope\": 1}")));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.decodeImage(s, M.readTree("{\"id\": \"x\"}")));
    }
}
