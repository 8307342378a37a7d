package dev.rewind.pitr.reconstruct;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One column value of a row, in a canonical form: two values that MySQL stores identically in the
 * same column compare {@link #equals equal}, whether they came from a mydumper file, from a binlog
 * row image decoded by {@link ValueCodec}, or were built by hand and passed through
 * {@link ColumnType#canonical(SqlValue)}.
 *
 * <p>Text values are the raw bytes in the column's character set (mydumper dumps with
 * {@code SET NAMES binary}), so equality is byte equality, never collation-aware.
 */
public sealed interface SqlValue {

    /** SQL NULL. */
    Null NULL = new Null();

    /** Writes this value as a MySQL literal for an INSERT statement run under {@code SET NAMES binary}. */
    void appendLiteral(SqlLiteralBuilder out);

    static SqlValue text(String s, Charset charset) {
        return new Text(s.getBytes(charset));
    }

    static SqlValue integer(long v) {
        return new Int(v, false);
    }

    /** SQL NULL. */
    record Null() implements SqlValue {
        @Override
        public void appendLiteral(SqlLiteralBuilder out) {
            out.ascii("NULL");
        }

        @Override
        public String toString() {
            return "NULL";
        }
    }

    /**
     * An integer of an integer column (TINYINT … BIGINT, YEAR). {@code unsigned} marks a value of an
     * unsigned BIGINT above {@link Long#MAX_VALUE}: {@code value} then holds its 64-bit pattern.
     */
    record Int(long value, boolean unsigned) implements SqlValue {
        public Int {
            if (unsigned && value >= 0) {
                unsigned = false;
            }
        }

        public BigInteger toBigInteger() {
            return unsigned ? new BigInteger(Long.toUnsignedString(value)) : BigInteger.valueOf(value);
        }

        @Override
        public void appendLiteral(SqlLiteralBuilder out) {
            out.ascii(toString());
        }

        @Override
        public String toString() {
            return unsigned ? Long.toUnsignedString(value) : Long.toString(value);
        }
    }

    /** A DECIMAL value; kept without trailing zeros so that 1.50 and 1.5 are equal. */
    record Decimal(BigDecimal value) implements SqlValue {
        public Decimal {
            value = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        }

        @Override
        public void appendLiteral(SqlLiteralBuilder out) {
            out.ascii(value.toPlainString());
        }

        @Override
        public String toString() {
            return value.toPlainString();
        }
    }

    /**
     * A FLOAT ({@code single}) or DOUBLE value. A FLOAT's value is the float widened to double,
     * so a FLOAT parsed from "3.14159" equals the binlog's {@code 3.14159f}.
     */
    record Real(double value, boolean single) implements SqlValue {
        public Real {
            if (single) {
                value = (float) value;
            }
            if (value == 0.0d) {
                value = 0.0d; // -0.0 and 0.0 are stored alike
            }
        }

        @Override
        public void appendLiteral(SqlLiteralBuilder out) {
            out.ascii(toString());
        }

        @Override
        public String toString() {
            return single ? Float.toString((float) value) : Double.toString(value);
        }
    }

    /** A BIT(n) value, n ≤ 64, as its unsigned 64-bit pattern. */
    record Bits(long value) implements SqlValue {
        @Override
        public void appendLiteral(SqlLiteralBuilder out) {
            out.ascii("b'").ascii(Long.toBinaryString(value)).ascii("'");
        }

        @Override
        public String toString() {
            return "b'" + Long.toBinaryString(value) + "'";
        }
    }

    /**
     * A DATE, TIME, DATETIME or TIMESTAMP value as MySQL prints it with the column's fractional
     * digits: {@code 2024-03-20}, {@code -838:59:59.000}, {@code 2024-03-20 12:34:56.123456}.
     * TIMESTAMP values are in UTC (dumps and restores run with {@code TIME_ZONE='+00:00'}).
     */
    record Temporal(String text) implements SqlValue {
        @Override
        public void appendLiteral(SqlLiteralBuilder out) {
            out.ascii("\"").ascii(text).ascii("\"");
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** A CHAR/VARCHAR/TEXT/ENUM/SET value: raw bytes in the column's character set (ENUM/SET: the label text). */
    record Text(byte[] bytes) implements SqlValue {
        @Override
        public void appendLiteral(SqlLiteralBuilder out) {
            out.quoted(bytes, 0, bytes.length);
        }

        public String toString(Charset charset) {
            return new String(bytes, charset);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Text t && Arrays.equals(bytes, t.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Text[" + new String(bytes, java.nio.charset.StandardCharsets.UTF_8) + "]";
        }
    }

    /** A BINARY/VARBINARY/BLOB (or spatial) value. BINARY(n) values are padded with 0x00 to n bytes. */
    record Binary(byte[] bytes) implements SqlValue {
        @Override
        public void appendLiteral(SqlLiteralBuilder out) {
            out.quoted(bytes, 0, bytes.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Binary b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Binary[0x" + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /**
     * A value of a MySQL 8 JSON column, as JSON text. Two documents are equal when they are the
     * same JSON value (object member order, white space and number spelling do not matter), so the
     * text printed by mydumper equals the text of a binlog image.
     */
    final class Json implements SqlValue {
        private final String text;
        private String canonical;

        public Json(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        String canonical() {
            if (canonical == null) {
                canonical = JsonCanonical.of(text);
            }
            return canonical;
        }

        @Override
        public void appendLiteral(SqlLiteralBuilder out) {
            // under SET NAMES binary MySQL 8 refuses a binary string for a JSON column (as mydumper 0.10 writes it)
            byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.ascii("CONVERT(").quoted(b, 0, b.length).ascii(" USING UTF8MB4)");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Json j && canonical().equals(j.canonical());
        }

        @Override
        public int hashCode() {
            return canonical().hashCode();
        }

        @Override
        public String toString() {
            return "Json[" + text + "]";
        }
    }
}
