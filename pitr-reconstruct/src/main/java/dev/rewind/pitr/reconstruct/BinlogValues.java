package dev.rewind.pitr.reconstruct;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.BitSet;

/**
 * Canonical values from the raw forms a binlog row decoder produces (e.g. mysql-binlog-connector-java
 * with {@code DATE_AND_TIME_AS_LONG_MICRO} and {@code CHAR_AND_BINARY_AS_BYTE_ARRAY}), so the row
 * images an index stores compare equal to the baseline's values. Each method takes the column's
 * type from {@link TableSchema}.
 */
public final class BinlogValues {
    private BinlogValues() {
    }

    /**
     * An integer column's value as the binlog carries it: signed at the column's width, so an
     * UNSIGNED column's large values arrive negative (INT UNSIGNED 4294967295 as -1).
     */
    public static SqlValue integer(ColumnType type, long raw) {
        if (!type.unsigned()) {
            return new SqlValue.Int(raw, false);
        }
        long v = switch (type.sqlName()) {
            case "tinyint", "bool", "boolean" -> raw & 0xFFL;
            case "smallint" -> raw & 0xFFFFL;
            case "mediumint" -> raw & 0xFFFFFFL;
            case "int", "integer" -> raw & 0xFFFFFFFFL;
            default -> raw; // bigint: the 64-bit pattern
        };
        return new SqlValue.Int(v, v < 0);
    }

    /** A DECIMAL value. */
    public static SqlValue decimal(BigDecimal d) {
        return d == null ? SqlValue.NULL : new SqlValue.Decimal(d);
    }

    /** A FLOAT or DOUBLE value (a FLOAT column rounds to float). */
    public static SqlValue real(ColumnType type, double v) {
        return new SqlValue.Real(v, type.kind() == ColumnType.Kind.FLOAT);
    }

    /** A BIT(n) value from its bits (bit 0 = least significant). */
    public static SqlValue bits(BitSet bits) {
        long[] words = bits.toLongArray();
        return new SqlValue.Bits(words.length == 0 ? 0 : words[0]);
    }

    /**
     * A DATE, DATETIME or TIMESTAMP from microseconds since 1970-01-01T00:00Z: for TIMESTAMP the
     * instant; for DATETIME and DATE the wall-clock value read as if it were UTC.
     */
    public static SqlValue fromEpochMicros(ColumnType type, long micros) {
        long secs = Math.floorDiv(micros, 1_000_000L);
        int micro = (int) Math.floorMod(micros, 1_000_000L);
        LocalDateTime t = LocalDateTime.ofEpochSecond(secs, micro * 1000, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(26);
        pad(sb, t.getYear(), 4).append('-');
        pad(sb, t.getMonthValue(), 2).append('-');
        pad(sb, t.getDayOfMonth(), 2);
        if (type.kind() == ColumnType.Kind.DATE) {
            return new SqlValue.Temporal(sb.toString());
        }
        sb.append(' ');
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2).append('.');
        pad(sb, micro, 6);
        return new SqlValue.Temporal(type.normalizeTemporal(sb.toString()));
    }

    /** A TIME value from signed microseconds (−838:59:59 … 838:59:59). */
    public static SqlValue timeFromMicros(ColumnType type, long micros) {
        StringBuilder sb = new StringBuilder(16);
        if (micros < 0) {
            sb.append('-');
            micros = -micros;
        }
        long secs = micros / 1_000_000L;
        pad(sb, secs / 3600, 2).append(':');
        pad(sb, secs / 60 % 60, 2).append(':');
        pad(sb, secs % 60, 2).append('.');
        pad(sb, micros % 1_000_000L, 6);
        return new SqlValue.Temporal(type.normalizeTemporal(sb.toString()));
    }

    /** A YEAR value (the binlog gives the year number; 0 for the zero year). */
    public static SqlValue year(int year) {
        return new SqlValue.Int(year, false);
    }

    /** An ENUM value from its 1-based index (0: the empty error value). */
    public static SqlValue enumIndex(ColumnType type, int index) {
        return ValueCodec.decode(type, com.fasterxml.jackson.databind.node.IntNode.valueOf(index));
    }

    /** A SET value from its bit mask. */
    public static SqlValue setMask(ColumnType type, long mask) {
        return ValueCodec.decode(type, com.fasterxml.jackson.databind.node.LongNode.valueOf(mask));
    }

    /**
     * A string or binary column's raw bytes (CHAR trailing spaces dropped, BINARY(n) re-padded
     * with the 0x00 bytes the binlog strips); for a MySQL 8 JSON column pass the JSON text's UTF-8.
     */
    public static SqlValue bytes(ColumnType type, byte[] raw) {
        return type.fromBytes(raw);
    }

    private static StringBuilder pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
