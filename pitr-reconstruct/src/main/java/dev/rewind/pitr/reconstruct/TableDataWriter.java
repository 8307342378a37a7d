package dev.rewind.pitr.reconstruct;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Writes one table's rows as mydumper data files ({@code db.table.00000.sql[.gz]}, …): the
 * mydumper header ({@code SET NAMES binary}, {@code TIME_ZONE='+00:00'}) then
 * {@code INSERT INTO `t` VALUES (…),(…);} statements of about {@code statementBytes} each. No file
 * is written for a table without rows (as mydumper). A table with generated or invisible columns gets
 * {@code INSERT INTO `t` (`a`,`b`,…) VALUES}, naming every column but the generated ones (the server computes those;
 * an invisible column is only filled when named).
 */
public final class TableDataWriter implements RowSink, Closeable {
    static final byte[] HEADER = ("/*!40101 SET NAMES binary*/;\n/*!40014 SET FOREIGN_KEY_CHECKS=0*/;\n"
            + "/*!40103 SET TIME_ZONE='+00:00' */;\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROW_SEP = ",\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STMT_END = ";\n".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;
    private final String filePrefix;
    private final WriterOptions options;
    private final Consumer<Manifest.Entry> onFile;
    private final byte[] insertHead;
    /** The positions of the values {@link #row} writes; null: all of them. */
    private final int[] written;
    private final SqlLiteralBuilder lit = new SqlLiteralBuilder(1024);
    private TrackedOutput out;
    private int chunk;
    private long fileBytes;
    private long fileRows;
    private long statementBytes;
    private boolean inStatement;
    private long rows;

    /**
     * @param fileTable the table's name as file names carry it
     * @param schema    the table's columns; null: rows are written whole, without a column list
     */
    TableDataWriter(Path dir, String database, String fileTable, TableSchema schema, WriterOptions options,
            Consumer<Manifest.Entry> onFile) {
        this.dir = dir;
        this.filePrefix = database + "." + fileTable + ".";
        this.options = options;
        this.onFile = onFile;
        String table = schema == null ? fileTable : schema.name();
        StringBuilder head = new StringBuilder("INSERT INTO `").append(table.replace("`", "``")).append("` ");
        if (schema != null && schema.needsColumnList()) {
            written = schema.insertablePositions();
            head.append('(');
            for (int i = 0; i < written.length; i++) {
                head.append(i > 0 ? "," : "").append('`')
                        .append(schema.columns().get(written[i]).name().replace("`", "``")).append('`');
            }
            head.append(") ");
        } else {
            written = null;
        }
        this.insertHead = head.append("VALUES\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Rows written so far. */
    public long rows() {
        return rows;
    }

    @Override
    public void rawRow(byte[] buf, int off, int len) throws IOException {
        if (out == null) {
            out = TrackedOutput.create(dir.resolve(String.format("%s%05d.sql%s", filePrefix, chunk++,
                    options.gzip() ? ".gz" : "")), options.gzip(), options.gzipLevel(), onFile);
            out.write(HEADER);
            fileBytes = HEADER.length;
            fileRows = 0;
        }
        if (inStatement) {
            out.write(ROW_SEP);
            statementBytes += 2;
        } else {
            out.write(insertHead);
            statementBytes = insertHead.length;
            inStatement = true;
        }
        out.write(buf, off, len);
        statementBytes += len;
        fileBytes += len + 2;
        fileRows++;
        rows++;
        if (statementBytes >= options.statementBytes()) {
            endStatement();
        }
        if (fileBytes >= options.fileBytes() || (options.fileRows() > 0 && fileRows >= options.fileRows())) {
            closeFile();
        }
    }

    @Override
    public void row(SqlValue[] values) throws IOException {
        lit.reset();
        lit.raw((byte) '(');
        int n = written == null ? values.length : written.length;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                lit.raw((byte) ',');
            }
            values[written == null ? i : written[i]].appendLiteral(lit);
        }
        lit.raw((byte) ')');
        rawRow(lit.buffer(), 0, lit.length());
    }

    private void endStatement() throws IOException {
        if (inStatement) {
            out.write(STMT_END);
            inStatement = false;
        }
    }

    private void closeFile() throws IOException {
        if (out != null) {
            endStatement();
            out.close();
            out = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeFile();
    }
}
