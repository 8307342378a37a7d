package dev.rewind.pitr.reconstruct;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Binlog-decoded raw values become the same canonical values the real dumps hold. */
class BinlogValuesTest {

    @Test
    void binlogFormsEqualTheDumpedValuesOfEveryType() throws Exception {
        MydumperDump dump = MydumperDump.open(DumpRowReaderTest.resource("mysql8"));
        TableSchema s = dump.tableSchema("prc_probe", "alltypes");
        List<SqlValue[]> rows = DumpRowReaderTest.readAll(s, dump.dataFiles("prc_probe", "alltypes").get(0).open());
        SqlValue[] r = rows.get(0);
        ColumnType[] t = s.columns().stream().map(Column::type).toArray(ColumnType[]::new);
        assertEquals(r[2], BinlogValues.integer(t[2], -1));                       // INT UNSIGNED 4294967295
        assertEquals(r[4], BinlogValues.integer(t[4], -1));                       // SMALLINT UNSIGNED 65535
        assertEquals(r[7], BinlogValues.integer(t[7], -1));                       // BIGINT UNSIGNED max
        assertEquals(r[6], BinlogValues.integer(t[6], Long.MIN_VALUE));
        assertEquals(r[8], BinlogValues.decimal(new BigDecimal("-12345678901234.123456")));
        assertEquals(r[9], BinlogValues.real(t[9], 3.14159f));
        assertEquals(r[10], BinlogValues.real(t[10], -2.718281828459045e100));
        BitSet b12 = new BitSet();
        for (int i = 1; i < 12; i += 2) {
            b12.set(i);
        }
        assertEquals(r[12], BinlogValues.bits(b12));
        assertEquals(r[14], BinlogValues.fromEpochMicros(t[14], 1709164800L * 1_000_000L));     // 2024-02-29
        assertEquals(r[15], BinlogValues.timeFromMicros(t[15], -(838L * 3600 + 59 * 60 + 59) * 1_000_000L));
        long dtm = java.time.LocalDateTime.parse("2024-03-20T12:34:56.123456").toEpochSecond(java.time.ZoneOffset.UTC);
        assertEquals(r[16], BinlogValues.fromEpochMicros(t[16], dtm * 1_000_000L + 123456));
        assertEquals(r[17], BinlogValues.fromEpochMicros(t[17], dtm * 1_000_000L + 654321));
        assertEquals(r[18], BinlogValues.year(2155));
        assertEquals(r[22], BinlogValues.bytes(t[22], "café".getBytes(java.nio.charset.Charset.forName("windows-1252"))));
        assertEquals(r[23], BinlogValues.bytes(t[23], new byte[] {0, (byte) 0xff, 0x10, 0x27}));
        assertEquals(r[26], BinlogValues.enumIndex(t[26], 3));
        assertEquals(r[27], BinlogValues.setMask(t[27], 0b101));
        assertEquals(r[28], BinlogValues.bytes(t[28],
                "{\"a\":[1,2.5,\"x\\\"y\"],\"b\":null,\"emoji\":\"😀\"}".getBytes(StandardCharsets.UTF_8)));
        SqlValue[] zero = rows.get(2);
        assertEquals(zero[23], BinlogValues.bytes(t[23], new byte[0]), "BINARY(4) of zeros arrives stripped");
        assertEquals(zero[15], BinlogValues.timeFromMicros(t[15], 0));
        assertEquals(zero[17], BinlogValues.fromEpochMicros(t[17], 1_000_000L));
    }
}
