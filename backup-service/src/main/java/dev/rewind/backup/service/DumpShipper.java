package dev.rewind.backup.service;

import dev.rewind.backup.dumper.DumpResult;
import dev.rewind.backup.dumper.TableRowCounter;
import dev.rewind.backup.storage.ArtifactStore;
import dev.rewind.backup.storage.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

/**
 * Ships a plain dump (mydumper's, or mysqldump's one file per database) to S3 in one pass per file, files in parallel: each {@code .sql} file is read once,
 * its rows counted, gzip-compressed on the fly (uploaded as {@code .sql.gz}, which myloader reads as it would
 * mydumper's {@code -c} output), hashed and streamed up in parts. The dump itself stays uncompressed, so the
 * compression that {@code mydumper -c} would do inside the dump is done here instead, together with everything else,
 * rather than inflating the files again to count their rows.
 */
final class DumpShipper {

    private record Shipped(List<DumpResult.TableRows> tables, StoredFile stored) {
    }

    private final ArtifactStore store;
    private final String prefix;
    private final ExecutorService pool;
    private final int gzipLevel;
    private final String tool;

    /** @param tool the tool that made the dump ({@code mydumper} or {@code mysqldump}): how its rows are counted */
    DumpShipper(ArtifactStore store, String prefix, ExecutorService pool, int gzipLevel, String tool) {
        this.tool = tool;
        this.store = store;
        this.prefix = prefix;
        this.pool = pool;
        this.gzipLevel = gzipLevel;
    }

    /** Ships every file of the dump; answers the stored files and the rows per table. */
    DumpResult.Shipment ship(List<Path> files) throws IOException, InterruptedException {
        List<Future<Shipped>> shipping = new ArrayList<>();
        for (Path file : files) {
            shipping.add(pool.submit(() -> ship(file)));
        }
        List<Shipped> done = new ArrayList<>();
        for (Future<Shipped> future : shipping) {
            try {
                done.add(future.get());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw new IOException((cause instanceof IOException ? "Reading the dump failed: " : "Upload to S3 failed: ")
                        + cause.getMessage(), cause);
            }
        }
        // mydumper writes a view as a placeholder table (db.view-schema.sql) and then the view (db.view-schema-view.sql):
        // it has no rows of its own and is no table to count or to check
        java.util.Set<String> views = new java.util.HashSet<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            int dot = name.indexOf('.');
            if (name.endsWith(VIEW) && dot > 0) {
                views.add(name.substring(0, dot) + "\u0000" + name.substring(dot + 1, name.length() - VIEW.length()));
            }
        }
        Map<String, Long> rows = new TreeMap<>();
        for (Shipped shipped : done) {
            for (DumpResult.TableRows table : shipped.tables()) {
                String key = table.schema() + "\u0000" + table.table();
                if (!views.contains(key)) {
                    rows.merge(key, table.rows(), Long::sum);
                }
            }
        }
        List<DumpResult.TableRows> tables = new ArrayList<>();
        rows.forEach((key, count) -> {
            String[] parts = key.split("\u0000", 2);
            tables.add(new DumpResult.TableRows(parts[0], parts[1], count));
        });
        return new DumpResult.Shipment(done.stream().map(Shipped::stored).toList(), tables);
    }

    private static final String VIEW = "-schema-view.sql";

    private Shipped ship(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (!name.endsWith(".sql")) {
            return new Shipped(List.of(), store.upload(prefix, file)); // metadata (and anything already compressed)
        }
        String stored = name + ".gz";
        TableRowCounter counter = TableRowCounter.of(tool, name);
        StoredFile uploaded = store.upload(prefix + stored, stored, out -> {
            try (InputStream in = Files.newInputStream(file);
                    GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16) {
                        {
                            def.setLevel(gzipLevel);
                        }
                    }) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    counter.scan(buffer, 0, n);
                    gzip.write(buffer, 0, n);
                }
            }
        });
        return new Shipped(counter.tables(), uploaded);
    }
}
