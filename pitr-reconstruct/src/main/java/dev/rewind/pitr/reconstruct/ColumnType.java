package dev.rewind.pitr.reconstruct;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The type of a column as far as reconstruction needs it: how to read a dumped literal, how to
 * compare values, how to encode them in JSON. Parsed from a CREATE TABLE by {@link TableSchema}.
 *
 * @param kind      the family of the type
 * @param sqlName   the type name as written (lower case), e.g. {@code bigint}, {@code varchar}
 * @param unsigned  an UNSIGNED integer type
 * @param length    CHAR/BINARY/BIT length (0 when not relevant)
 * @param scale     DECIMAL scale, or the fractional second digits of TIME/DATETIME/TIMESTAMP
 * @param charset   the MySQL character set name of a text column (null for non-text)
 * @param labels    ENUM/SET labels in declaration order (empty otherwise)
 */
public record ColumnType(Kind kind, String sqlName, boolean unsigned, int length, int scale, String charset,
                         List<String> labels) {

    public enum Kind {
        INT, YEAR, DECIMAL, FLOAT, DOUBLE, BIT, DATE, TIME, DATETIME, TIMESTAMP,
        CHAR, TEXT, ENUM, SET, BINARY, BYTES, JSON
    }

    public ColumnType {
        labels = List.copyOf(labels);
    }

    /** The Java charset of a text column (MySQL latin1 is cp1252; unknown sets fall back to ISO-8859-1). */
    public Charset javaCharset() {
        return javaCharset(charset);
    }

    public boolean isText() {
        return kind == Kind.CHAR || kind == Kind.TEXT || kind == Kind.ENUM || kind == Kind.SET;
    }

    static Charset javaCharset(String mysql) {
        if (mysql == null) {
            return StandardCharsets.UTF_8;
        }
        String cs = mysql.toLowerCase(Locale.ROOT);
        try {
            return switch (cs) {
                case "utf8mb4", "utf8", "utf8mb3" -> StandardCharsets.UTF_8;
                case "latin1" -> Charset.forName("windows-1252");
                case "ascii" -> StandardCharsets.US_ASCII;
                case "ucs2", "utf16" -> StandardCharsets.UTF_16BE;
                case "utf16le" -> StandardCharsets.UTF_16LE;
                case "utf32" -> Charset.forName("UTF-32BE");
                case "cp1250", "cp1251", "cp1256", "cp1257" -> Charset.forName("windows-" + cs.substring(2));
                case "sjis" -> Charset.forName("Shift_JIS");
                case "cp932" -> Charset.forName("windows-31j");
                case "ujis" -> Charset.forName("EUC-JP");
                case "euckr" -> Charset.forName("EUC-KR");
                case "gb2312" -> Charset.forName("GB2312");
                case "gb18030" -> Charset.forName("GB18030");
                case "gbk" -> Charset.forName("GBK");
                case "big5" -> Charset.forName("Big5");
                case "greek" -> Charset.forName("ISO-8859-7");
                case "hebrew" -> Charset.forName("ISO-8859-8");
                case "latin2" -> Charset.forName("ISO-8859-2");
                case "latin5" -> Charset.forName("ISO-8859-9");
                case "latin7" -> Charset.forName("ISO-8859-13");
                case "koi8r" -> Charset.forName("KOI8-R");
                case "koi8u" -> Charset.forName("KOI8-U");
                default -> StandardCharsets.ISO_8859_1;
            };
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    /** The value of an unquoted numeric literal of a dump (e.g. {@code -12}, {@code 1.5e10}) in this column. */
    public SqlValue fromNumber(String s) {
        return switch (kind) {
            case INT, YEAR -> parseInt(s);
            case DECIMAL -> new SqlValue.Decimal(new BigDecimal(s));
            case FLOAT -> new SqlValue.Real(Float.parseFloat(s), true);
            case DOUBLE -> new SqlValue.Real(Double.parseDouble(s), false);
            case BIT -> new SqlValue.Bits(new BigInteger(s).longValue());
            default -> fromBytes(s.getBytes(StandardCharsets.US_ASCII));
        };
    }

    /** The value of a string (or hex/bit) literal of a dump, given its unescaped bytes, in this column. */
    public SqlValue fromBytes(byte[] b) {
        return switch (kind) {
            case INT, YEAR -> parseInt(ascii(b));
            case DECIMAL -> new SqlValue.Decimal(new BigDecimal(ascii(b).trim()));
            case FLOAT -> new SqlValue.Real(Float.parseFloat(ascii(b).trim()), true);
            case DOUBLE -> new SqlValue.Real(Double.parseDouble(ascii(b).trim()), false);
            case BIT -> {
                long v = 0;
                for (byte x : b) {
                    v = (v << 8) | (x & 0xff);
                }
                yield new SqlValue.Bits(v);
            }
            case DATE, TIME, DATETIME, TIMESTAMP -> new SqlValue.Temporal(normalizeTemporal(ascii(b)));
            case CHAR -> new SqlValue.Text(stripTrailingSpaces(b));
            case TEXT, ENUM, SET -> new SqlValue.Text(b);
            case BINARY -> new SqlValue.Binary(padBinary(b));
            case BYTES -> new SqlValue.Binary(b);
            case JSON -> new SqlValue.Json(new String(b, StandardCharsets.UTF_8));
        };
    }

    /**
     * Brings a value built elsewhere (by hand, by another decoder) to this column's canonical form:
     * CHAR without trailing spaces, BINARY(n) padded to n bytes, FLOAT rounded to float, temporal
     * text at the column's fractional digits, text given for a numeric column parsed.
     */
    public SqlValue canonical(SqlValue v) {
        if (v == null || v instanceof SqlValue.Null) {
            return SqlValue.NULL;
        }
        return switch (kind) {
            case INT, YEAR -> v instanceof SqlValue.Int ? v : fromNumber(plain(v));
            case DECIMAL -> v instanceof SqlValue.Decimal ? v : fromNumber(plain(v));
            case FLOAT -> v instanceof SqlValue.Real r ? (r.single() ? r : new SqlValue.Real(r.value(), true))
                    : fromNumber(plain(v));
            case DOUBLE -> v instanceof SqlValue.Real r ? (r.single() ? new SqlValue.Real(r.value(), false) : r)
                    : fromNumber(plain(v));
            case BIT -> v instanceof SqlValue.Bits ? v : v instanceof SqlValue.Int i ? new SqlValue.Bits(i.value())
                    : v instanceof SqlValue.Binary bin ? fromBytes(bin.bytes()) : fromNumber(plain(v));
            case DATE, TIME, DATETIME, TIMESTAMP -> new SqlValue.Temporal(normalizeTemporal(plain(v)));
            case CHAR -> v instanceof SqlValue.Text t ? new SqlValue.Text(stripTrailingSpaces(t.bytes())) : fromBytes(bytesOf(v));
            case TEXT, ENUM, SET -> v instanceof SqlValue.Text ? v : new SqlValue.Text(bytesOf(v));
            case BINARY -> new SqlValue.Binary(padBinary(bytesOf(v)));
            case BYTES -> v instanceof SqlValue.Binary ? v : new SqlValue.Binary(bytesOf(v));
            case JSON -> v instanceof SqlValue.Json ? v : new SqlValue.Json(new String(bytesOf(v), StandardCharsets.UTF_8));
        };
    }

    private static String plain(SqlValue v) {
        if (v instanceof SqlValue.Text t) {
            return new String(t.bytes(), StandardCharsets.ISO_8859_1);
        }
        if (v instanceof SqlValue.Binary b) {
            return new String(b.bytes(), StandardCharsets.ISO_8859_1);
        }
        return v.toString();
    }

    private byte[] bytesOf(SqlValue v) {
        if (v instanceof SqlValue.Text t) {
            return t.bytes();
        }
        if (v instanceof SqlValue.Binary b) {
            return b.bytes();
        }
        if (v instanceof SqlValue.Json j) {
            return j.text().getBytes(StandardCharsets.UTF_8);
        }
        return v.toString().getBytes(javaCharset());
    }

    private static SqlValue parseInt(String s) {
        s = s.trim();
        if (s.length() < 19) {
            return new SqlValue.Int(Long.parseLong(s), false);
        }
        BigInteger big = new BigInteger(s);
        if (big.bitLength() <= 63) {
            return new SqlValue.Int(big.longValue(), false);
        }
        if (big.signum() > 0 && big.bitLength() <= 64) {
            return new SqlValue.Int(big.longValue(), true);
        }
        throw new NumberFormatException("integer out of range: " + s);
    }

    /** Parses a canonical integer literal straight from bytes (the fast path of primary keys). */
    static SqlValue.Int parseIntBytes(byte[] b, int from, int to) {
        int i = from;
        boolean neg = false;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            neg = b[i] == '-';
            i++;
        }
        if (to - i > 0 && to - i < 19) {
            long v = 0;
            for (; i < to; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    return (SqlValue.Int) parseInt(new String(b, from, to - from, StandardCharsets.US_ASCII));
                }
                v = v * 10 + d;
            }
            return new SqlValue.Int(neg ? -v : v, false);
        }
        return (SqlValue.Int) parseInt(new String(b, from, to - from, StandardCharsets.US_ASCII));
    }

    private byte[] padBinary(byte[] b) {
        if (length > 0 && b.length < length) {
            return Arrays.copyOf(b, length);
        }
        return b;
    }

    private static byte[] stripTrailingSpaces(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == ' ') {
            n--;
        }
        return n == b.length ? b : Arrays.copyOf(b, n);
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * Temporal text as MySQL prints it for this column: 'T' separator → space, a trailing 'Z' or
     * '+00:00' dropped (TIMESTAMPs are UTC), fraction padded or cut to the column's digits.
     */
    String normalizeTemporal(String s) {
        s = s.trim();
        if (kind == Kind.DATE) {
            return s;
        }
        if (s.endsWith("Z")) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("+00:00") && s.length() > 19) {
            s = s.substring(0, s.length() - 6);
        }
        if (s.length() > 10 && s.charAt(10) == 'T') {
            s = s.substring(0, 10) + ' ' + s.substring(11);
        }
        int dot = s.lastIndexOf('.');
        String whole = dot < 0 ? s : s.substring(0, dot);
        String frac = dot < 0 ? "" : s.substring(dot + 1);
        if (scale == 0) {
            return whole;
        }
        StringBuilder f = new StringBuilder(frac.length() > scale ? frac.substring(0, scale) : frac);
        while (f.length() < scale) {
            f.append('0');
        }
        return whole + "." + f;
    }
}
