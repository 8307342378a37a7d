package dev.rewind.pitr.reconstruct;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Writes a dump directory that myloader 0.10 restores as it is: {@code metadata},
 * {@code db-schema-create.sql}, {@code db.table-schema.sql}, {@code db.table.NNNNN.sql} data
 * files (all optionally gzip), and {@code manifest.json} with every file's size and SHA-256.
 *
 * <pre>{@code
 * DumpWriter out = DumpWriter.create(dir, WriterOptions.defaults().withGzip(true));
 * out.writeDatabase("shop", createDatabaseSql);
 * MergeResult r = out.writeTable("shop", targetSchema, baselineSchema, baselineFiles, changes);
 * Manifest m = out.finish(new DumpMetadata(started, binlogFile, position, gtid, finished));
 * }</pre>
 * Different tables may be written from different threads at once; {@link #finish} runs once,
 * after all of them.
 */
public final class DumpWriter {
    private final Path dir;
    private final WriterOptions options;
    private final MergeMemory memory;
    private final List<Manifest.Entry> files = new ArrayList<>();

    private DumpWriter(Path dir, WriterOptions options, MergeMemory memory) {
        this.dir = dir;
        this.options = options;
        this.memory = memory;
    }

    /** A writer into {@code dir}, which is created if needed and must be empty. */
    public static DumpWriter create(Path dir, WriterOptions options) throws IOException {
        return create(dir, options, MergeMemory.defaults());
    }

    /** As {@link #create(Path, WriterOptions)}, each table merged within {@code memory} (see {@link TableMerger}). */
    public static DumpWriter create(Path dir, WriterOptions options, MergeMemory memory) throws IOException {
        Files.createDirectories(dir);
        try (var s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new IOException("output directory " + dir + " is not empty");
            }
        }
        return new DumpWriter(dir, options, memory);
    }

    public Path directory() {
        return dir;
    }

    /** Database and table names become file names: refuse what could leave the directory. */
    private static String fileSafe(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.contains("\0")
                || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("name not usable in a dump file name: " + name);
        }
        return name;
    }

    private String ext() {
        return options.gzip() ? ".sql.gz" : ".sql";
    }

    private synchronized void record(Manifest.Entry e) {
        files.add(e);
    }

    /** {@code db-schema-create.sql}: the CREATE DATABASE statement (a trailing ';' is added if missing). */
    public void writeDatabase(String database, String createDatabaseSql) throws IOException {
        writeText(fileSafe(database) + "-schema-create" + ext(), statement(createDatabaseSql));
    }

    /** {@code db.table-schema.sql}: mydumper's header and the CREATE TABLE statement. */
    public void writeTableSchema(String database, String table, String createTableSql) throws IOException {
        String body = new String(TableDataWriter.HEADER, StandardCharsets.US_ASCII).replace(
                "*/;\n/*!40103", "*/;\n\n/*!40103") + statement(TableSchema.parse(createTableSql).createStatement());
        writeText(fileSafe(database) + "." + fileSafe(table) + "-schema" + ext(), body);
    }

    /** Data files of a table, written through the returned sink; close it when done. */
    public TableDataWriter openTableData(String database, String table) {
        return new TableDataWriter(dir, fileSafe(database), fileSafe(table), null, options, this::record);
    }

    /** Data files of a table whose rows have the schema's columns (see {@link TableDataWriter}); close it when done. */
    public TableDataWriter openTableData(String database, TableSchema table) {
        return new TableDataWriter(dir, fileSafe(database), fileSafe(table.name()), table, options, this::record);
    }

    /**
     * Writes a table's schema file (the target CREATE TABLE) and its data: the baseline merged with
     * the changes (see {@link TableMerger}).
     */
    public MergeResult writeTable(String database, TableSchema target, TableSchema baselineSchema,
                                  List<DataFile> baseline, Iterator<RowChange> changes) throws IOException {
        writeTableSchema(database, target.name(), target.createStatement());
        try (TableDataWriter data = openTableData(database, target)) {
            return new TableMerger(target, memory).merge(baselineSchema, baseline, changes, data);
        }
    }

    /**
     * Writes a table's schema file (the target CREATE TABLE) and its data: the baseline carried through the table's
     * schema changes, merged with the changes, with what the server did without row events (see {@link TableMerger}).
     */
    public MergeResult writeTable(String database, TableSchema target, SchemaEvolution evolution, List<DataFile> baseline,
                                  Iterator<RowChange> changes, RowFate fate) throws IOException {
        writeTableSchema(database, target.name(), target.createStatement());
        try (TableDataWriter data = openTableData(database, target)) {
            return new TableMerger(target, memory).merge(evolution, baseline, changes, fate, data);
        }
    }

    /** Any other file (e.g. a view or trigger schema copied from the baseline), listed in the manifest. */
    public void writeFile(String name, byte[] content) throws IOException {
        if (name.contains("/") || name.contains("\\") || name.equals(Manifest.FILE_NAME) || name.startsWith(".")) {
            throw new IllegalArgumentException("bad file name " + name);
        }
        try (OutputStream o = TrackedOutput.create(dir.resolve(name), false, 1, this::record)) {
            o.write(content);
        }
    }

    private void writeText(String name, String text) throws IOException {
        try (OutputStream o = TrackedOutput.create(dir.resolve(name), options.gzip(), options.gzipLevel(), this::record)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String statement(String sql) {
        String s = sql.strip();
        return s.endsWith(";") ? s + "\n" : s + ";\n";
    }

    /** Writes {@code metadata} and {@code manifest.json}; returns the manifest. */
    public synchronized Manifest finish(DumpMetadata metadata) throws IOException {
        try (OutputStream o = TrackedOutput.create(dir.resolve("metadata"), false, 1, this::record)) {
            o.write(metadata.format().getBytes(StandardCharsets.UTF_8));
        }
        List<Manifest.Entry> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(Manifest.Entry::name));
        Manifest m = new Manifest(sorted);
        Files.writeString(dir.resolve(Manifest.FILE_NAME), m.toJson());
        return m;
    }
}
