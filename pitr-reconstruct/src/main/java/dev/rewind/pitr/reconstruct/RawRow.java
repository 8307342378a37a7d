package dev.rewind.pitr.reconstruct;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One row tuple of a dump as it was read: the literal text {@code (v1,v2,…)} and where each value's
 * literal lies in it. Values are decoded only when asked ({@link #value(int)}), so an unchanged row
 * is copied to the output without decoding. Valid until the reader moves to the next row.
 */
public final class RawRow {
    private final TableSchema schema;
    byte[] buf;
    int start;
    int length;
    int[] valueStart;
    int[] valueEnd;
    /** The table column of each value of a tuple, in tuple order. */
    int[] layout;
    private final int[] allColumns;
    private final int[] insertable;
    private boolean inOutputOrder;

    RawRow(TableSchema schema) {
        this.schema = schema;
        this.valueStart = new int[schema.columnCount()];
        this.valueEnd = new int[schema.columnCount()];
        this.allColumns = new int[schema.columnCount()];
        for (int i = 0; i < allColumns.length; i++) {
            allColumns[i] = i;
        }
        this.insertable = schema.insertablePositions();
        layout(null);
    }

    /** The tuples that follow hold the columns at these positions, in this order; null: every column in table order. */
    void layout(int[] positions) {
        layout = positions == null ? allColumns : positions;
        inOutputOrder = java.util.Arrays.equals(layout, insertable);
        java.util.Arrays.fill(valueStart, -1);
        java.util.Arrays.fill(valueEnd, -1);
    }

    /**
     * Whether the tuple holds exactly the columns a {@link TableDataWriter} writes (all but the generated ones), in
     * table order, so it can be copied to the output as it is.
     */
    public boolean inOutputOrder() {
        return inOutputOrder;
    }

    /** The bytes of the tuple, parentheses included, are {@code buffer()[start() .. start()+length())}. */
    public byte[] buffer() {
        return buf;
    }

    public int start() {
        return start;
    }

    public int length() {
        return length;
    }

    public int columnCount() {
        return valueStart.length;
    }

    /** The literal of column {@code i} as written in the dump (for messages and tests). */
    public String literal(int i) {
        if (valueStart[i] < 0) {
            return "NULL";
        }
        return new String(buf, start + valueStart[i], valueEnd[i] - valueStart[i], StandardCharsets.ISO_8859_1);
    }

    /** Returned by {@link #longValue} when the literal is not a plain integer of at most 18 digits. */
    static final long NOT_A_LONG = Long.MIN_VALUE;

    /**
     * The value of column {@code i} when its literal is a plain integer of at most 18 digits
     * (parsed without allocating), else {@link #NOT_A_LONG}.
     */
    long longValue(int i) {
        if (valueStart[i] < 0) {
            return NOT_A_LONG;
        }
        int from = start + valueStart[i];
        int to = start + valueEnd[i];
        boolean neg = false;
        if (from < to && buf[from] == '-') {
            neg = true;
            from++;
        }
        int n = to - from;
        if (n == 0 || n > 18) {
            return NOT_A_LONG;
        }
        long v = 0;
        for (int p = from; p < to; p++) {
            int d = buf[p] - '0';
            if (d < 0 || d > 9) {
                return NOT_A_LONG;
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /** The decoded, canonical value of column {@code i}. */
    public SqlValue value(int i) {
        if (valueStart[i] < 0 || schema.columns().get(i).generated()) {
            return SqlValue.NULL; // a generated column: the server computes it, rows carry NULL in its place
        }
        return decode(schema.columns().get(i).type(), buf, start + valueStart[i], start + valueEnd[i]);
    }

    /** All decoded values in column order. */
    public SqlValue[] values() {
        SqlValue[] v = new SqlValue[valueStart.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = value(i);
        }
        return v;
    }

    /** Decodes one dump literal ({@code b[from..to)}) for a column of the given type. */
    static SqlValue decode(ColumnType type, byte[] b, int from, int to) {
        int n = to - from;
        if (n == 0) {
            throw new IllegalArgumentException("empty value literal");
        }
        byte c = b[from];
        if (c == '"' || c == '\'') {
            return type.fromBytes(unescape(b, from + 1, to - 1, c));
        }
        if (n == 4 && (c == 'N' || c == 'n') && (b[from + 1] | 0x20) == 'u' && (b[from + 2] | 0x20) == 'l'
                && (b[from + 3] | 0x20) == 'l') {
            return SqlValue.NULL;
        }
        if ((c == 'C' || c == 'c') && n > 8 && new String(b, from, 8, StandardCharsets.ISO_8859_1)
                .equalsIgnoreCase("CONVERT(")) { // MySQL 8 JSON: CONVERT("…" USING UTF8MB4)
            int i = from + 8;
            while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n')) {
                i++;
            }
            return decode(type, b, i, endOfLiteral(b, i, to));
        }
        if (c == '_') { // charset introducer: _binary '...' / _utf8mb4 0x...
            int i = from + 1;
            while (i < to && b[i] != '\'' && b[i] != '"' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n') {
                i++;
            }
            while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n')) {
                i++;
            }
            return decode(type, b, i, to);
        }
        if ((c == 'x' || c == 'X') && n >= 3 && b[from + 1] == '\'') {
            return type.fromBytes(HexFormat.of().parseHex(new String(b, from + 2, n - 3, StandardCharsets.ISO_8859_1)));
        }
        if (c == '0' && n >= 2 && (b[from + 1] == 'x' || b[from + 1] == 'X')) {
            String hex = new String(b, from + 2, n - 2, StandardCharsets.ISO_8859_1);
            return type.fromBytes(HexFormat.of().parseHex(hex.length() % 2 == 0 ? hex : "0" + hex));
        }
        if ((c == 'b' || c == 'B') && n >= 3 && b[from + 1] == '\'') {
            String bits = new String(b, from + 2, n - 3, StandardCharsets.ISO_8859_1);
            if (type.kind() == ColumnType.Kind.BIT) {
                return new SqlValue.Bits(bits.isEmpty() ? 0 : Long.parseUnsignedLong(bits, 2));
            }
            return type.fromBytes(bitsToBytes(bits));
        }
        if (c == '0' && n >= 2 && (b[from + 1] == 'b' || b[from + 1] == 'B')) {
            String bits = new String(b, from + 2, n - 2, StandardCharsets.ISO_8859_1);
            if (type.kind() == ColumnType.Kind.BIT) {
                return new SqlValue.Bits(Long.parseUnsignedLong(bits, 2));
            }
            return type.fromBytes(bitsToBytes(bits));
        }
        if (type.kind() == ColumnType.Kind.INT) {
            return ColumnType.parseIntBytes(b, from, to);
        }
        return type.fromNumber(new String(b, from, n, StandardCharsets.ISO_8859_1));
    }

    /** End (exclusive) of the quoted literal starting at {@code from}, or of a bare token. */
    private static int endOfLiteral(byte[] b, int from, int to) {
        byte q = b[from];
        if (q != '"' && q != '\'') {
            int i = from;
            while (i < to && b[i] != ' ' && b[i] != ')' && b[i] != ',') {
                i++;
            }
            return i;
        }
        for (int i = from + 1; i < to; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == q) {
                if (i + 1 < to && b[i + 1] == q) {
                    i++;
                } else {
                    return i + 1;
                }
            }
        }
        throw new IllegalArgumentException("unterminated string literal");
    }

    private static byte[] bitsToBytes(String bits) {
        int nbytes = Math.max(1, (bits.length() + 7) / 8);
        byte[] out = new byte[nbytes];
        for (int i = 0; i < bits.length(); i++) {
            if (bits.charAt(bits.length() - 1 - i) == '1') {
                out[nbytes - 1 - i / 8] |= (byte) (1 << (i % 8));
            }
        }
        return out;
    }

    /** The bytes of a quoted literal's body, with MySQL's backslash escapes and doubled quotes resolved. */
    static byte[] unescape(byte[] b, int from, int to, byte quote) {
        byte[] out = null;
        int o = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '\\' || (c == quote && i + 1 < to && b[i + 1] == quote)) {
                if (out == null) {
                    out = new byte[to - from];
                    System.arraycopy(b, from, out, 0, i - from);
                    o = i - from;
                }
                i++;
                byte e = b[i];
                if (c == quote) {
                    out[o++] = quote;
                    continue;
                }
                switch (e) {
                    case '0' -> out[o++] = 0;
                    case 'b' -> out[o++] = 8;
                    case 'n' -> out[o++] = '\n';
                    case 'r' -> out[o++] = '\r';
                    case 't' -> out[o++] = '\t';
                    case 'Z' -> out[o++] = 26;
                    case '%', '_' -> {
                        out[o++] = '\\';
                        out[o++] = e;
                    }
                    default -> out[o++] = e;
                }
            } else if (out != null) {
                out[o++] = c;
            }
        }
        if (out == null) {
            return Arrays.copyOfRange(b, from, to);
        }
        return Arrays.copyOf(out, o);
    }
}
