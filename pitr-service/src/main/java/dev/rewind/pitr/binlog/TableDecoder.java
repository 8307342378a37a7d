package dev.rewind.pitr.binlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Turns the cells of one table's rows into JSON images, with the column names, charsets and enum/set values of the
 * TABLE_MAP event (binlog_row_metadata=FULL) and, for what the binlog does not carry, the schema snapshot.
 *
 * <p>Encodings (also in pitr-service/README.md): integers as JSON numbers (unsigned ones as their unsigned value),
 * DECIMAL as a string keeping its scale, FLOAT/DOUBLE as numbers, BIT as an unsigned integer, YEAR as a number,
 * DATE/TIME/DATETIME as the server shows them, TIMESTAMP as a UTC instant, character types as text decoded with the
 * column's charset, binary types (BINARY padded to its length, VARBINARY, BLOB, GEOMETRY) as base64, ENUM as its value,
 * SET as its values joined by commas, MySQL JSON as the JSON value itself (MariaDB JSON is text and stays a string),
 * except a document that is a string or holds a NUL, which is given as its JSON text in a string,
 * NULL as null.
 */
final class TableDecoder {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private enum Kind { SIGNED, UNSIGNED, DECIMAL, FLOATING, BIT, YEAR, TEMPORAL, TEXT, BINARY, ENUM, SET, JSON, OTHER }

    private final String schema;
    private final String table;
    private final String[] names;
    private final Kind[] kinds;
    private final Charset[] charsets;
    /** Strict decoders of the character columns, made on first use (a decoder is used by the reader thread only). */
    private final CharsetDecoder[] textDecoders;
    private final int[] integerBytes;
    private final int[] binaryLength;
    private final String[][] values;
    private final int[] primaryKey;
    private final byte[] columnTypes;

    TableDecoder(TableMapEventData map, SchemaSnapshot.Table snapshot) {
        this.schema = map.getDatabase();
        this.table = map.getTable();
        this.columnTypes = map.getColumnTypes();
        int n = columnTypes.length;
        TableMapEventMetadata metadata = map.getEventMetadata();
        List<String> metaNames = metadata == null ? null : metadata.getColumnNames();
        names = new String[n];
        kinds = new Kind[n];
        charsets = new Charset[n];
        textDecoders = new CharsetDecoder[n];
        integerBytes = new int[n];
        binaryLength = new int[n];
        values = new String[n][];
        int[] columnMeta = map.getColumnMetadata();
        int enumIndex = 0;
        int setIndex = 0;
        for (int i = 0; i < n; i++) {
            SchemaSnapshot.Column column = null;
            if (metaNames != null && metaNames.size() == n) {
                names[i] = metaNames.get(i);
                column = snapshot == null ? null : snapshot.column(names[i]);
            } else if (snapshot != null && snapshot.columns().size() == n) {
                column = snapshot.columns().get(i);
                names[i] = column.name();
            } else {
                names[i] = "col_" + (i + 1);
            }
            int type = columnTypes[i] & 0xFF;
            int meta = columnMeta[i];
            if (type == ColumnType.STRING.getCode() && meta >= 256) {
                int realType = meta >> 8;
                if (realType == ColumnType.ENUM.getCode() || realType == ColumnType.SET.getCode()) {
                    type = realType;
                }
            }
            ColumnType columnType = ColumnType.byCode(type);
            boolean unsigned = column != null && column.unsigned();
            switch (columnType == null ? ColumnType.GEOMETRY : columnType) {
                case TINY -> { kinds[i] = unsigned ? Kind.UNSIGNED : Kind.SIGNED; integerBytes[i] = 1; }
                case SHORT -> { kinds[i] = unsigned ? Kind.UNSIGNED : Kind.SIGNED; integerBytes[i] = 2; }
                case INT24 -> { kinds[i] = unsigned ? Kind.UNSIGNED : Kind.SIGNED; integerBytes[i] = 3; }
                case LONG -> { kinds[i] = unsigned ? Kind.UNSIGNED : Kind.SIGNED; integerBytes[i] = 4; }
                case LONGLONG -> { kinds[i] = unsigned ? Kind.UNSIGNED : Kind.SIGNED; integerBytes[i] = 8; }
                case NEWDECIMAL, DECIMAL -> kinds[i] = Kind.DECIMAL;
                case FLOAT, DOUBLE -> kinds[i] = Kind.FLOATING;
                case BIT -> kinds[i] = Kind.BIT;
                case YEAR -> kinds[i] = Kind.YEAR;
                case DATE, TIME, TIME_V2, DATETIME, DATETIME_V2, TIMESTAMP, TIMESTAMP_V2, NEWDATE -> kinds[i] = Kind.TEMPORAL;
                case ENUM -> {
                    kinds[i] = Kind.ENUM;
                    values[i] = enumOrSetValues(metadata == null ? null : metadata.getEnumStrValues(), enumIndex++, column);
                }
                case SET -> {
                    kinds[i] = Kind.SET;
                    values[i] = enumOrSetValues(metadata == null ? null : metadata.getSetStrValues(), setIndex++, column);
                }
                case JSON -> kinds[i] = Kind.JSON;
                case STRING, VARCHAR, VAR_STRING, BLOB, TINY_BLOB, MEDIUM_BLOB, LONG_BLOB -> {
                    Charset charset = column == null ? null : Charsets.forMysql(column.charset());
                    boolean binary = column != null ? charset == null : isBinaryWithoutSnapshot(columnType);
                    if (binary) {
                        kinds[i] = Kind.BINARY;
                        if (columnType == ColumnType.STRING && column != null && column.octetLength() != null
                                && "binary".equals(column.dataType())) {
                            binaryLength[i] = column.octetLength().intValue(); // trailing zero bytes are not logged
                        }
                    } else {
                        kinds[i] = Kind.TEXT;
                        charsets[i] = charset == null ? java.nio.charset.StandardCharsets.UTF_8 : charset;
                    }
                }
                default -> kinds[i] = Kind.OTHER;
            }
        }
        primaryKey = primaryKey(metadata, snapshot);
    }

    private static boolean isBinaryWithoutSnapshot(ColumnType type) {
        return type == ColumnType.BLOB || type == ColumnType.TINY_BLOB || type == ColumnType.MEDIUM_BLOB || type == ColumnType.LONG_BLOB;
    }

    private static String[] enumOrSetValues(List<String[]> fromMetadata, int index, SchemaSnapshot.Column column) {
        if (fromMetadata != null && index < fromMetadata.size()) {
            return fromMetadata.get(index);
        }
        return column == null ? new String[0] : parseValues(column.columnType());
    }

    /** The quoted values of {@code enum('a','b''c')}. */
    static String[] parseValues(String columnType) {
        List<String> result = new ArrayList<>();
        int i = columnType.indexOf('(');
        StringBuilder current = null;
        for (i = i + 1; i < columnType.length(); i++) {
            char c = columnType.charAt(i);
            if (current == null) {
                if (c == '\'') {
                    current = new StringBuilder();
                }
            } else if (c == '\'') {
                if (i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
                    current.append('\'');
                    i++;
                } else {
                    result.add(current.toString());
                    current = null;
                }
            } else {
                current.append(c);
            }
        }
        return result.toArray(String[]::new);
    }

    private int[] primaryKey(TableMapEventMetadata metadata, SchemaSnapshot.Table snapshot) {
        if (metadata != null && metadata.getSimplePrimaryKeys() != null && !metadata.getSimplePrimaryKeys().isEmpty()) {
            return metadata.getSimplePrimaryKeys().stream().mapToInt(Integer::intValue).toArray();
        }
        if (metadata != null && metadata.getPrimaryKeysWithPrefix() != null && !metadata.getPrimaryKeysWithPrefix().isEmpty()) {
            return metadata.getPrimaryKeysWithPrefix().keySet().stream().mapToInt(Integer::intValue).toArray();
        }
        if (snapshot != null && !snapshot.primaryKey().isEmpty()) {
            List<String> nameList = Arrays.asList(names);
            return snapshot.primaryKey().stream().mapToInt(nameList::indexOf).filter(i -> i >= 0).toArray();
        }
        return new int[0];
    }

    /** Whether this decoder was built for this shape of the table (the same columns, in the same order). */
    boolean matches(TableMapEventData map) {
        return Arrays.equals(columnTypes, map.getColumnTypes()) && schema.equals(map.getDatabase()) && table.equals(map.getTable());
    }

    String schema() {
        return schema;
    }

    String table() {
        return table;
    }

    String image(Serializable[] row) {
        if (row == null) {
            return null;
        }
        StringWriter out = new StringWriter(64 + row.length * 16);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (int i = 0; i < row.length && i < names.length; i++) {
                g.writeFieldName(names[i]);
                writeCell(g, i, row[i]);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    String primaryKey(Serializable[] row) {
        if (row == null || primaryKey.length == 0) {
            return null;
        }
        StringWriter out = new StringWriter(32);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (int i : primaryKey) {
                g.writeFieldName(names[i]);
                writeCell(g, i, row[i]);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The text of a character column's bytes, or null when they are not valid in its charset. */
    private String decodeStrict(int i, byte[] bytes) {
        CharsetDecoder decoder = textDecoders[i];
        if (decoder == null) {
            decoder = charsets[i].newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            textDecoders[i] = decoder;
        }
        try {
            return decoder.reset().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Whether a string or member name anywhere in the document holds a NUL, which jsonb cannot store. */
    private static boolean holdsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            for (var fields = node.fields(); fields.hasNext(); ) {
                var field = fields.next();
                if (field.getKey().indexOf('\0') >= 0 || holdsNul(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        for (JsonNode element : node) { // an array's elements; nothing for other scalars
            if (holdsNul(element)) {
                return true;
            }
        }
        return false;
    }

    private void writeCell(JsonGenerator g, int i, Serializable value) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        switch (kinds[i]) {
            case SIGNED -> g.writeNumber(((Number) value).longValue());
            case UNSIGNED -> {
                long v = ((Number) value).longValue();
                switch (integerBytes[i]) {
                    case 1 -> g.writeNumber(v & 0xFFL);
                    case 2 -> g.writeNumber(v & 0xFFFFL);
                    case 3 -> g.writeNumber(v & 0xFFFFFFL);
                    case 4 -> g.writeNumber(v & 0xFFFFFFFFL);
                    default -> g.writeNumber(v >= 0 ? BigInteger.valueOf(v) : new BigInteger(Long.toUnsignedString(v)));
                }
            }
            case DECIMAL -> g.writeString(((BigDecimal) value).toPlainString());
            case FLOATING -> {
                if (value instanceof Float f) {
                    g.writeNumber(f);
                } else {
                    g.writeNumber((Double) value);
                }
            }
            case BIT -> g.writeNumber((BigInteger) value);
            case YEAR -> g.writeNumber(((Number) value).intValue());
            case TEMPORAL -> g.writeString(value.toString());
            case TEXT -> {
                String text = value instanceof byte[] b ? decodeStrict(i, b) : value.toString();
                if (text == null || text.indexOf('\0') >= 0) {
                    // bytes the charset does not decode, or a NUL (PostgreSQL's jsonb cannot hold \u0000): the bytes
                    // themselves, as pitr-reconstruct's ValueCodec reads them
                    byte[] bytes = value instanceof byte[] b ? b : text.getBytes(charsets[i]);
                    g.writeStartObject();
                    g.writeStringField("base64", Base64.getEncoder().encodeToString(bytes));
                    g.writeEndObject();
                } else {
                    g.writeString(text);
                }
            }
            case BINARY -> {
                byte[] bytes = (byte[]) value;
                if (binaryLength[i] > bytes.length) {
                    bytes = Arrays.copyOf(bytes, binaryLength[i]);
                }
                g.writeString(Base64.getEncoder().encodeToString(bytes));
            }
            case ENUM -> {
                int index = ((Number) value).intValue();
                g.writeString(index >= 1 && index <= values[i].length ? values[i][index - 1] : "");
            }
            case SET -> {
                long mask = ((Number) value).longValue();
                StringBuilder members = new StringBuilder();
                for (int bit = 0; bit < values[i].length; bit++) {
                    if ((mask & (1L << bit)) != 0) {
                        if (members.length() > 0) {
                            members.append(',');
                        }
                        members.append(values[i][bit]);
                    }
                }
                g.writeString(members.toString());
            }
            case JSON -> {
                byte[] bytes = (byte[]) value;
                if (bytes.length == 0) {
                    g.writeNull();
                } else {
                    JsonNode document = MAPPER.readTree(JsonBinary.parseAsString(bytes));
                    if (document.isTextual() || holdsNul(document)) {
                        // the JSON text as a string, as pitr-reconstruct's ValueCodec reads it: a document that is
                        // itself a string would otherwise read back without its quotes, and jsonb refuses a NUL
                        g.writeString(MAPPER.writeValueAsString(document));
                    } else {
                        g.writeTree(document);
                    }
                }
            }
            case OTHER -> {
                if (value instanceof byte[] b) {
                    g.writeString(Base64.getEncoder().encodeToString(b));
                } else {
                    g.writeString(value.toString());
                }
            }
        }
    }
}
