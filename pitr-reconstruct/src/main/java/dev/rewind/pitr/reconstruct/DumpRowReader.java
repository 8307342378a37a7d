package dev.rewind.pitr.reconstruct;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Streams the rows of one mydumper data file ({@code INSERT INTO `t` VALUES (…),(…);} statements,
 * plain or gzip), never holding more than the current row (plus a read buffer) in memory.
 * {@code SET}, comments and other statements are skipped.
 */
public final class DumpRowReader implements Closeable {
    private final InputStream in;
    private final TableSchema schema;
    private final String source;
    private final RawRow row;
    private byte[] buf = new byte[1 << 17];
    private int pos;
    private int limit;
    private int rowStart = -1;
    private boolean inValues;
    private long rows;

    private DumpRowReader(InputStream in, TableSchema schema, String source) {
        this.in = in;
        this.schema = schema;
        this.source = source;
        this.row = new RawRow(schema);
    }

    /**
     * Opens a reader over a data file's bytes; gzip is recognised by its magic bytes.
     *
     * @param source a name for error messages (the file name)
     */
    public static DumpRowReader open(InputStream raw, TableSchema schema, String source) throws IOException {
        BufferedInputStream b = raw instanceof BufferedInputStream bis ? bis : new BufferedInputStream(raw, 1 << 16);
        b.mark(2);
        int m1 = b.read();
        int m2 = b.read();
        b.reset();
        // a gzip file is inflated ahead on its own thread while the rows are parsed
        InputStream in = (m1 == 0x1f && m2 == 0x8b) ? Pipe.readAhead(new GZIPInputStream(b, 1 << 16), source) : b;
        return new DumpRowReader(in, schema, source);
    }

    /** Rows returned so far. */
    public long rowsRead() {
        return rows;
    }

    /** The current row (after {@link #next()} returned true); reused, valid until the next call. */
    public RawRow row() {
        return row;
    }

    /** Moves to the next row; false at the end of the file. */
    public boolean next() throws IOException {
        while (true) {
            if (inValues) {
                skipWhitespace();
                int c = peek();
                if (c == ',') {
                    pos++;
                    skipWhitespace();
                    if (peek() != '(') {
                        throw error("expected '(' after ','");
                    }
                } else if (c == ';') {
                    pos++;
                    inValues = false;
                    continue;
                } else if (c < 0) {
                    throw error("file ends inside an INSERT statement");
                } else {
                    throw error("expected ',' or ';' after a row, found '" + (char) c + "'");
                }
            } else if (!seekInsert()) {
                return false;
            }
            readTuple();
            rows++;
            return true;
        }
    }

    private IOException error(String what) {
        return new IOException(source + ": " + what + " (after row " + rows + ")");
    }

    private boolean more() throws IOException {
        int keep = rowStart >= 0 ? rowStart : pos;
        if (keep > 0) {
            System.arraycopy(buf, keep, buf, 0, limit - keep);
            limit -= keep;
            pos -= keep;
            if (rowStart >= 0) {
                rowStart = 0;
            }
        }
        if (limit == buf.length) {
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n <= 0) {
            return false;
        }
        limit += n;
        return true;
    }

    private int peek() throws IOException {
        while (pos >= limit) {
            if (!more()) {
                return -1;
            }
        }
        return buf[pos] & 0xff;
    }

    private void skipWhitespace() throws IOException {
        while (true) {
            int c = peek();
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else {
                return;
            }
        }
    }

    /** Skips statements until an INSERT's first tuple; leaves pos at its '('. */
    private boolean seekInsert() throws IOException {
        while (true) {
            skipWhitespace();
            int c = peek();
            if (c < 0) {
                return false;
            }
            if (c == '/' ) {
                pos++;
                if (peek() == '*') {
                    pos++;
                    skipBlockComment();
                    continue;
                }
                throw error("unexpected '/'");
            }
            if (c == '#' || (c == '-' && lookAhead(1) == '-')) {
                while ((c = peek()) >= 0 && c != '\n') {
                    pos++;
                }
                continue;
            }
            if (c == ';') {
                pos++;
                continue;
            }
            if (readStatementHead()) {
                inValues = true;
                return true;
            }
        }
    }

    private int lookAhead(int k) throws IOException {
        while (pos + k >= limit) {
            if (!more()) {
                return -1;
            }
        }
        return buf[pos + k] & 0xff;
    }

    private void skipBlockComment() throws IOException {
        int prev = 0;
        int c;
        while ((c = peek()) >= 0) {
            pos++;
            if (prev == '*' && c == '/') {
                return;
            }
            prev = c;
        }
    }

    /**
     * Reads one statement's head. For an INSERT/REPLACE it stops at the first tuple's '(' and
     * returns true; any other statement is consumed through its ';' and false is returned.
     */
    private boolean readStatementHead() throws IOException {
        StringBuilder head = new StringBuilder();
        int quote = 0;
        int c;
        while ((c = peek()) >= 0) {
            if (quote != 0) {
                head.append((char) c);
                pos++;
                if (c == '\\' && quote != '`') {
                    int d = peek();
                    if (d >= 0) {
                        head.append((char) d);
                        pos++;
                    }
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                quote = c;
                head.append((char) c);
                pos++;
                continue;
            }
            if (c == ';') {
                pos++;
                return false;
            }
            if (c == '(') {
                String h = head.toString().trim().toUpperCase(Locale.ROOT);
                boolean insert = h.startsWith("INSERT") || h.startsWith("REPLACE");
                if (insert && h.endsWith("VALUES")) {
                    checkColumnList(head.toString());
                    return true;
                }
            }
            head.append((char) c);
            pos++;
        }
        return false;
    }

    /**
     * Reads the statement's column list, if any, into the row's layout: which table column each value of a tuple is.
     * mydumper names the columns of a table with generated columns (leaving those out, the server computes them) in
     * an order of its own; without a list a tuple has every column in table order.
     */
    private void checkColumnList(String head) throws IOException {
        int into = head.toUpperCase(Locale.ROOT).lastIndexOf("VALUES");
        String before = head.substring(0, into);
        int open = before.indexOf('(');
        if (open < 0) {
            row.layout(null);
            return;
        }
        int close = before.lastIndexOf(')');
        List<String> names = new ArrayList<>();
        for (String part : TableSchema.splitTopLevel(before.substring(open + 1, close))) {
            names.add(TableSchema.unquoteIdent(part));
        }
        int[] layout = new int[names.size()];
        boolean[] seen = new boolean[schema.columnCount()];
        for (int i = 0; i < layout.length; i++) {
            int c = schema.indexOf(names.get(i));
            if (c < 0 || seen[c]) {
                throw error("INSERT lists columns " + names + ": " + (c < 0 ? "`" + names.get(i) + "` is not a column of "
                        : "`" + names.get(i) + "` twice for ") + schema.name());
            }
            seen[c] = true;
            layout[i] = c;
        }
        for (int c = 0; c < seen.length; c++) {
            if (!seen[c] && !schema.columns().get(c).generated()) {
                throw error("INSERT lists columns " + names + " without `" + schema.columns().get(c).name() + "` of "
                        + schema.name() + ": not supported");
            }
        }
        row.layout(layout);
    }

    private void readTuple() throws IOException {
        rowStart = pos;
        pos++; // '('
        int[] layout = row.layout;
        int ncols = layout.length;
        int col = 0;
        while (true) {
            skipWhitespace();
            int c = peek();
            if (c < 0) {
                throw error("file ends inside a row");
            }
            if (col == ncols) {
                throw error("row has more values than the " + ncols + " columns of " + schema.name());
            }
            int s = pos - rowStart; // relative: a refill may move the row within the buffer
            if (c == '"' || c == '\'') {
                skipQuoted((byte) c);
            } else if (c == '_') {
                while ((c = peek()) >= 0 && c != '\'' && c != '"' && c != ',' && c != ')') {
                    pos++;
                }
                if (c == '\'' || c == '"') {
                    skipQuoted((byte) c);
                }
            } else if ((c == 'x' || c == 'X' || c == 'b' || c == 'B') && lookAhead(1) == '\'') {
                pos++;
                skipQuoted((byte) '\'');
            } else {
                scanBare();
            }
            int e = pos - rowStart;
            while (e > s && isSpace(buf[rowStart + e - 1])) {
                e--;
            }
            row.valueStart[layout[col]] = s;
            row.valueEnd[layout[col]] = e;
            col++;
            skipWhitespace();
            c = peek();
            pos++;
            if (c == ')') {
                break;
            }
            if (c != ',') {
                throw error("expected ',' or ')' in a row, found " + (c < 0 ? "end of file" : "'" + (char) c + "'"));
            }
        }
        if (col != ncols) {
            throw error("row has " + col + " values, " + ncols + " expected for table " + schema.name());
        }
        row.buf = buf;
        row.start = rowStart;
        row.length = pos - rowStart;
        rowStart = -1;
    }

    /**
     * A value that is not a plain quoted string: NULL, a number, 0x…, or an expression such as
     * MySQL 8's {@code CONVERT("…" USING UTF8MB4)}. Ends at a ',' or ')' outside parentheses and quotes.
     */
    private void scanBare() throws IOException {
        int depth = 0;
        while (true) {
            if (pos >= limit && !more()) {
                return;
            }
            byte[] b = buf;
            int p = pos;
            int lim = limit;
            while (p < lim) {
                byte c = b[p];
                if (c == '"' || c == '\'') {
                    pos = p;
                    skipQuoted(c);
                    break;
                }
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    if (depth == 0) {
                        pos = p;
                        return;
                    }
                    depth--;
                } else if (c == ',' && depth == 0) {
                    pos = p;
                    return;
                }
                p++;
            }
            if (p >= lim) {
                pos = p;
            }
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }

    /** pos at the opening quote; leaves pos after the closing one. */
    private void skipQuoted(byte q) throws IOException {
        pos++;
        while (true) {
            while (pos >= limit) {
                if (!more()) {
                    throw error("file ends inside a quoted value");
                }
            }
            byte[] b = buf;
            int p = pos;
            int lim = limit;
            boolean closed = false;
            while (p < lim) {
                byte c = b[p];
                if (c == '\\') {
                    p += 2;
                } else if (c == q) {
                    p++;
                    closed = true;
                    break;
                } else {
                    p++;
                }
            }
            pos = p;
            if (closed) {
                if (peek() == q) { // doubled quote inside the string
                    pos++;
                    continue;
                }
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    @Override
    public String toString() {
        return "DumpRowReader[" + source + ", " + rows + " rows]";
    }
}
