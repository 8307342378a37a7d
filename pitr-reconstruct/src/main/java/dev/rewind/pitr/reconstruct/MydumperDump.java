package dev.rewind.pitr.reconstruct;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/** A mydumper 0.10 output directory, read: metadata, schema statements, and each table's data files. */
public final class MydumperDump {
    private final Path dir;
    private final Map<String, Path> schemaCreate = new TreeMap<>();
    private final Map<TableRef, Path> tableSchema = new TreeMap<>();
    private final Map<TableRef, List<Path>> data = new TreeMap<>();
    private final Map<Path, Integer> chunkOf = new java.util.HashMap<>();

    /** A table of a dump. */
    public record TableRef(String database, String table) implements Comparable<TableRef> {
        @Override
        public int compareTo(TableRef o) {
            int c = database.compareTo(o.database);
            return c != 0 ? c : table.compareTo(o.table);
        }
    }

    private MydumperDump(Path dir) {
        this.dir = dir;
    }

    public static MydumperDump open(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("metadata"))) {
            throw new IOException(dir + " is not a mydumper dump (no metadata file)");
        }
        MydumperDump d = new MydumperDump(dir);
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                DumpFileName n = DumpFileName.parse(p.getFileName().toString());
                switch (n.kind()) {
                    case SCHEMA_CREATE -> d.schemaCreate.put(n.database(), p);
                    case TABLE_SCHEMA -> d.tableSchema.put(new TableRef(n.database(), n.table()), p);
                    case DATA -> {
                        d.data.computeIfAbsent(new TableRef(n.database(), n.table()), k -> new ArrayList<>()).add(p);
                        d.chunkOf.put(p, n.chunk());
                    }
                    default -> {
                    }
                }
            }
        }
        for (List<Path> l : d.data.values()) {
            l.sort(Comparator.comparingInt((Path p) -> d.chunkOf.get(p)).thenComparing(Path::toString));
        }
        return d;
    }

    public Path directory() {
        return dir;
    }

    public DumpMetadata metadata() throws IOException {
        return DumpMetadata.parse(Files.readString(dir.resolve("metadata"), StandardCharsets.UTF_8));
    }

    public List<String> databases() {
        TreeSet<String> dbs = new TreeSet<>(schemaCreate.keySet());
        tableSchema.keySet().forEach(t -> dbs.add(t.database()));
        return List.copyOf(dbs);
    }

    /** Tables that have a schema file, in name order. */
    public List<TableRef> tables() {
        return List.copyOf(tableSchema.keySet());
    }

    /** The CREATE DATABASE statement of {@code db-schema-create.sql}. */
    public String createDatabaseSql(String database) throws IOException {
        Path p = schemaCreate.get(database);
        if (p == null) {
            throw new IOException("no schema-create file for database " + database);
        }
        return readText(p).strip();
    }

    /** The whole text of {@code db.table-schema.sql} (header SET statements and CREATE TABLE). */
    public String createTableSql(String database, String table) throws IOException {
        Path p = tableSchema.get(new TableRef(database, table));
        if (p == null) {
            throw new IOException("no schema file for table " + database + "." + table);
        }
        return readText(p);
    }

    public TableSchema tableSchema(String database, String table) throws IOException {
        return TableSchema.parse(createTableSql(database, table));
    }

    /** The table's data files in chunk order; empty for a table dumped without rows. */
    public List<DataFile> dataFiles(String database, String table) {
        return data.getOrDefault(new TableRef(database, table), List.of()).stream().map(DataFile::of).toList();
    }

    /** Reads a plain or gzip text file (schema statements are small). */
    static String readText(Path p) throws IOException {
        try (InputStream raw = Files.newInputStream(p)) {
            InputStream in = p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            in.transferTo(bo);
            return bo.toString(StandardCharsets.UTF_8);
        }
    }
}
