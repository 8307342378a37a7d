package dev.rewind.pitr.run;

import dev.rewind.pitr.reconstruct.DataFile;
import dev.rewind.pitr.reconstruct.DumpFileName;
import dev.rewind.pitr.reconstruct.DumpMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A backup-service dump (mydumper, files gzip-compressed by the shipper) as it lies in S3, read without copying it to
 * disk: files are sorted out by name from one listing, data files are streamed object by object.
 */
final class S3Baseline {

    private record Chunk(String key, int number) {
    }

    private final PitrStorage storage;
    private final String prefix;
    private String metadataKey;
    private final Map<String, String> schemaCreate = new HashMap<>();
    private final Map<String, String> tableSchema = new HashMap<>();
    private final Map<String, List<Chunk>> data = new HashMap<>();

    private S3Baseline(PitrStorage storage, String prefix) {
        this.storage = storage;
        this.prefix = prefix;
    }

    static S3Baseline open(PitrStorage storage, String prefix) throws IOException {
        S3Baseline b = new S3Baseline(storage, prefix);
        for (S3Object o : storage.list(prefix)) {
            String name = o.key().substring(prefix.length());
            if (name.contains("/")) {
                continue;
            }
            DumpFileName n = DumpFileName.parse(name);
            switch (n.kind()) {
                case METADATA -> b.metadataKey = o.key();
                case SCHEMA_CREATE -> b.schemaCreate.put(n.database(), o.key());
                case TABLE_SCHEMA -> b.tableSchema.put(n.database() + "." + n.table(), o.key());
                case DATA -> b.data.computeIfAbsent(n.database() + "." + n.table(), k -> new ArrayList<>())
                        .add(new Chunk(o.key(), n.chunk()));
                default -> {
                }
            }
        }
        if (b.metadataKey == null) {
            throw new IOException("the baseline at " + storage.uri(prefix) + " is not a mydumper dump (no metadata file): "
                    + "it was removed, or taken with another tool");
        }
        b.data.values().forEach(l -> l.sort(Comparator.comparingInt(Chunk::number).thenComparing(Chunk::key)));
        return b;
    }

    DumpMetadata metadata() throws IOException {
        return DumpMetadata.parse(text(metadataKey));
    }

    /** Databases the dump holds (those it has a schema-create or a table of). */
    TreeSet<String> databases() {
        TreeSet<String> dbs = new TreeSet<>(schemaCreate.keySet());
        tableSchema.keySet().forEach(t -> dbs.add(t.substring(0, t.indexOf('.'))));
        return dbs;
    }

    boolean hasTable(String qualified) {
        return tableSchema.containsKey(qualified);
    }

    /** The CREATE DATABASE statement, or null when the dump has no schema-create file for it. */
    String createDatabaseSql(String database) throws IOException {
        String key = schemaCreate.get(database);
        return key == null ? null : text(key).strip();
    }

    String createTableSql(String qualified) throws IOException {
        return text(tableSchema.get(qualified));
    }

    List<DataFile> dataFiles(String qualified) {
        List<DataFile> files = new ArrayList<>();
        for (Chunk c : data.getOrDefault(qualified, List.of())) {
            String name = c.key().substring(prefix.length());
            files.add(new DataFile() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public InputStream open() {
                    return storage.open(c.key());
                }

                @Override
                public String toString() {
                    return storage.uri(c.key());
                }
            });
        }
        return files;
    }

    private String text(String key) throws IOException {
        byte[] bytes = storage.read(key);
        if (key.endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
