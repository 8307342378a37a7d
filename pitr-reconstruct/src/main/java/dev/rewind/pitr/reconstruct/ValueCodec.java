package dev.rewind.pitr.reconstruct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON encoding of values and row images that the row-event index stores and the engine
 * decodes. The encoding of a value depends on its column's type (the decoder is given the
 * column):
 *
 * <table>
 * <tr><th>column type</th><th>JSON</th><th>example</th></tr>
 * <tr><td>any, NULL</td><td>null</td><td>{@code null}</td></tr>
 * <tr><td>TINYINT … BIGINT (signed or unsigned), YEAR</td><td>number (exact; unsigned BIGINT up to
 *     18446744073709551615)</td><td>{@code -12}, {@code 18446744073709551615}</td></tr>
 * <tr><td>DECIMAL</td><td>string, plain notation</td><td>{@code "-12345678901234.123456"}</td></tr>
 * <tr><td>FLOAT, DOUBLE</td><td>number (shortest text that reads back to the same float/double)</td>
 *     <td>{@code 3.14159}, {@code -2.718281828459045E100}</td></tr>
 * <tr><td>BIT(n)</td><td>number, the unsigned value of the bits</td><td>{@code 2730}</td></tr>
 * <tr><td>DATE</td><td>string {@code yyyy-MM-dd}</td><td>{@code "2024-02-29"}</td></tr>
 * <tr><td>TIME(fsp)</td><td>string {@code [-]hhh:mm:ss[.f…]} with fsp digits</td><td>{@code "-838:59:59.000"}</td></tr>
 * <tr><td>DATETIME(fsp)</td><td>string, ISO with 'T', fsp digits</td><td>{@code "2024-03-20T12:34:56.123456"}</td></tr>
 * <tr><td>TIMESTAMP(fsp)</td><td>string, ISO in UTC with 'Z', fsp digits</td><td>{@code "2024-03-20T12:34:56.654321Z"}</td></tr>
 * <tr><td>CHAR, VARCHAR, TEXT</td><td>string (the bytes decoded with the column's character set);
 *     bytes that are not valid in it: {@code {"base64": "…"}}</td><td>{@code "emoji 😀"}</td></tr>
 * <tr><td>ENUM, SET</td><td>string label(s) as MySQL prints them</td><td>{@code "c d"}, {@code "x,z"}</td></tr>
 * <tr><td>BINARY, VARBINARY, BLOB, spatial</td><td>string, standard base64 of the bytes</td><td>{@code "3q2+7w=="}</td></tr>
 * <tr><td>JSON (MySQL 8)</td><td>string holding the JSON text</td><td>{@code "{\"a\": 1}"}</td></tr>
 * </table>
 *
 * <p>Decoding is lenient where a binlog reader naturally produces something else: integers and
 * decimals may be given as strings or numbers; DATETIME/TIMESTAMP with a space instead of 'T',
 * with or without 'Z', with more or fewer fraction digits (cut or padded to the column's);
 * ENUM as its 1-based index number and SET as its bit mask number (as the binlog carries them);
 * BIT as a base64 string of its big-endian bytes. A MariaDB JSON column is LONGTEXT: a string.
 *
 * <p>An image is a JSON object {@code {"column": value, …}} keyed by column name.
 */
public final class ValueCodec {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ValueCodec() {
    }

    /** Encodes one canonical value of a column of {@code type}. */
    public static JsonNode encode(ColumnType type, SqlValue value) {
        SqlValue v = type.canonical(value);
        if (v instanceof SqlValue.Null) {
            return F.nullNode();
        }
        return switch (type.kind()) {
            case INT, YEAR -> {
                SqlValue.Int i = (SqlValue.Int) v;
                yield i.unsigned() ? F.numberNode(i.toBigInteger()) : F.numberNode(i.value());
            }
            case DECIMAL -> F.textNode(((SqlValue.Decimal) v).value().toPlainString());
            case FLOAT -> F.numberNode((float) ((SqlValue.Real) v).value());
            case DOUBLE -> F.numberNode(((SqlValue.Real) v).value());
            case BIT -> {
                long bits = ((SqlValue.Bits) v).value();
                yield bits >= 0 ? F.numberNode(bits) : F.numberNode(new BigInteger(Long.toUnsignedString(bits)));
            }
            case DATE, TIME -> F.textNode(((SqlValue.Temporal) v).text());
            case DATETIME -> F.textNode(((SqlValue.Temporal) v).text().replace(' ', 'T'));
            case TIMESTAMP -> F.textNode(((SqlValue.Temporal) v).text().replace(' ', 'T') + "Z");
            case CHAR, TEXT, ENUM, SET -> {
                byte[] b = ((SqlValue.Text) v).bytes();
                String s = decodeStrict(b, type.javaCharset());
                yield s != null ? F.textNode(s) : F.objectNode().put("base64", Base64.getEncoder().encodeToString(b));
            }
            case BINARY, BYTES -> F.textNode(Base64.getEncoder().encodeToString(((SqlValue.Binary) v).bytes()));
            case JSON -> F.textNode(((SqlValue.Json) v).text());
        };
    }

    /** Decodes one value of a column of {@code type}; a missing node is NULL. */
    public static SqlValue decode(ColumnType type, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return SqlValue.NULL;
        }
        try {
            return switch (type.kind()) {
                case INT, YEAR, DECIMAL, FLOAT, DOUBLE -> node.isNumber()
                        ? type.fromNumber(node.isFloatingPointNumber() && type.kind() != ColumnType.Kind.DECIMAL
                                ? node.asText() : numberText(node))
                        : type.fromNumber(node.asText().trim());
                case BIT -> node.isNumber()
                        ? new SqlValue.Bits(node.bigIntegerValue().longValue())
                        : type.fromBytes(Base64.getDecoder().decode(node.asText()));
                case DATE, TIME, DATETIME, TIMESTAMP -> new SqlValue.Temporal(type.normalizeTemporal(node.asText()));
                case ENUM -> node.isNumber() ? enumLabel(type, node.asInt()) : text(type, node);
                case SET -> node.isNumber() ? setLabels(type, node.asLong()) : text(type, node);
                case CHAR, TEXT -> text(type, node);
                case BINARY, BYTES -> type.fromBytes(Base64.getDecoder().decode(node.asText()));
                case JSON -> new SqlValue.Json(node.isTextual() ? node.asText() : node.toString());
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot decode " + node + " as " + type.sqlName() + ": " + e.getMessage(), e);
        }
    }

    /** Encodes a row image (column name → value) as a JSON object in the table's column order. */
    public static ObjectNode encodeImage(TableSchema schema, Map<String, SqlValue> image) {
        ObjectNode o = F.objectNode();
        for (Column c : schema.columns()) {
            if (image.containsKey(c.name())) {
                o.set(c.name(), encode(c.type(), image.get(c.name())));
            }
        }
        for (String name : image.keySet()) {
            if (schema.indexOf(name) < 0) {
                throw new IllegalArgumentException("image has column " + name + " that " + schema.name() + " lacks");
            }
        }
        return o;
    }

    /** Decodes a row image; every member must name a column of the table. */
    public static Map<String, SqlValue> decodeImage(TableSchema schema, JsonNode image) {
        if (image == null || !image.isObject()) {
            throw new IllegalArgumentException("a row image is a JSON object, got " + image);
        }
        Map<String, SqlValue> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = image.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int i = schema.indexOf(e.getKey());
            if (i < 0) {
                throw new IllegalArgumentException("image has column " + e.getKey() + " that " + schema.name() + " lacks");
            }
            Column c = schema.columns().get(i);
            out.put(c.name(), c.generated() ? SqlValue.NULL : decode(c.type(), e.getValue()));
        }
        return out;
    }

    private static String numberText(JsonNode node) {
        if (node.isBigDecimal() || node.isDouble() || node.isFloat()) {
            BigDecimal d = node.decimalValue();
            return d.toPlainString();
        }
        return node.bigIntegerValue().toString();
    }

    private static SqlValue text(ColumnType type, JsonNode node) {
        if (node.isObject() && node.has("base64")) {
            return type.fromBytes(Base64.getDecoder().decode(node.get("base64").asText()));
        }
        return type.fromBytes(node.asText().getBytes(type.javaCharset()));
    }

    private static SqlValue enumLabel(ColumnType type, int index) {
        if (index == 0) {
            return new SqlValue.Text(new byte[0]); // the error value '' of an invalid ENUM
        }
        if (index < 1 || index > type.labels().size()) {
            throw new IllegalArgumentException("ENUM index " + index + " outside 1.." + type.labels().size());
        }
        return type.fromBytes(type.labels().get(index - 1).getBytes(type.javaCharset()));
    }

    private static SqlValue setLabels(ColumnType type, long mask) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < type.labels().size(); i++) {
            if ((mask & (1L << i)) != 0) {
                parts.add(type.labels().get(i));
            }
        }
        return type.fromBytes(String.join(",", parts).getBytes(type.javaCharset()));
    }

    private static String decodeStrict(byte[] b, Charset cs) {
        try {
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
