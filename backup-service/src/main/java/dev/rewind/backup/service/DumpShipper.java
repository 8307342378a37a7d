package dev.rewind.backup.service;

import dev.rewind.backup.dumper.DumpResult;
import dev.rewind.backup.dumper.RowCounter;
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
 * Ships a plain mydumper dump to S3 in one pass per file, files in parallel: each {@code .sql} file is read once,
 * its rows counted, gzip-compressed on the fly (uploaded as {@code .sql.gz}, which myloader reads as it would
 * mydumper's {@code -c} output), hashed and streamed up in parts. The dump itself stays uncompressed, so the
 * compression that {@code mydumper -c} would do inside the dump is done here instead, together with everything else,
 * rather than inflating the files again to count their rows.
 */
final class DumpShipper {

    private record Shipped(String name, long rows, StoredFile stored) {
    }

    private final ArtifactStore store;
    private final String prefix;
    private final ExecutorService pool;
    private final int gzipLevel;

    DumpShipper(ArtifactStore store, String prefix, ExecutorService pool, int gzipLevel) {
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
        Map<String, Long> rows = new TreeMap<>();
        for (Shipped shipped : done) {
            RowCounter.DumpFileName name = RowCounter.DumpFileName.parse(shipped.name());
            if (name != null) {
                rows.merge(name.schema() + "\u0000" + name.table(), name.data() ? shipped.rows() : 0, Long::sum);
            }
        }
        List<DumpResult.TableRows> tables = new ArrayList<>();
        rows.forEach((key, count) -> {
            String[] parts = key.split("\u0000", 2);
            tables.add(new DumpResult.TableRows(parts[0], parts[1], count));
        });
        return new DumpResult.Shipment(done.stream().map(Shipped::stored).toList(), tables);
    }

    private Shipped ship(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (!name.endsWith(".sql")) {
            return new Shipped(name, 0, store.upload(prefix, file)); // metadata (and anything already compressed)
        }
        String stored = name + ".gz";
        RowCounter counter = new RowCounter();
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
        return new Shipped(stored, counter.rows(), uploaded);
    }
}
