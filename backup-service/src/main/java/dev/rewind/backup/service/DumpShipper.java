package dev.rewind.backup.service;

import dev.rewind.backup.dumper.DumpResult;
import dev.rewind.backup.dumper.RowCounter;
import dev.rewind.backup.storage.ArtifactStore;
import dev.rewind.backup.storage.StoredFile;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipException;

/**
 * Ships one dump folder to S3 while mydumper is still writing it: a compressed file counts as finished when it
 * reads to the end as a complete gzip stream (zlib writes the final block and the CRC/size trailer only when the
 * file is closed), so finished table files are counted and uploaded during the dump. Everything left is shipped
 * once the tool has exited. Not thread-safe across dumps: one instance per backup.
 */
final class DumpShipper {

    /** A file that went to S3, with the rows counted in it (data files) on the way. */
    private record Shipped(Path file, long rows, StoredFile stored) {
    }

    private final ArtifactStore store;
    private final String prefix;
    private final ExecutorService pool;
    private final Set<Path> taken = ConcurrentHashMap.newKeySet();
    private final Map<Path, Long> lastSize = new ConcurrentHashMap<>();
    private final List<Future<Shipped>> shipping = new ArrayList<>();

    DumpShipper(ArtifactStore store, String prefix, ExecutorService pool) {
        this.store = store;
        this.prefix = prefix;
        this.pool = pool;
    }

    /** During the dump: ships the compressed files whose size held still since the last look and that are complete. */
    void shipFinished(Path dir) {
        for (Path file : files(dir)) {
            if (taken.contains(file) || !file.getFileName().toString().endsWith(".gz")) {
                continue;
            }
            long size = size(file);
            Long before = lastSize.put(file, size);
            if (before != null && before == size && size > 0 && taken.add(file)) {
                shipping.add(pool.submit(() -> ship(file, true)));
            }
        }
    }

    /** After the dump: ships everything not yet shipped and answers the stored files and the rows per table. */
    DumpResult.Shipment finish(Path dir) throws IOException, InterruptedException {
        List<Shipped> done = new ArrayList<>(collect(shipping));
        shipping.clear();
        List<Future<Shipped>> rest = new ArrayList<>();
        for (Path file : files(dir)) {
            if (done.stream().noneMatch(s -> s.file().equals(file))) {
                rest.add(pool.submit(() -> ship(file, false)));
            }
        }
        done.addAll(collect(rest));
        done.sort((a, b) -> a.file().compareTo(b.file()));
        Map<String, Long> rows = new TreeMap<>();
        for (Shipped shipped : done) {
            RowCounter.DumpFileName name = RowCounter.DumpFileName.parse(shipped.file().getFileName().toString());
            if (name != null) {
                rows.merge(name.schema() + "\u0000" + name.table(), shipped.rows(), Long::sum);
            }
        }
        List<DumpResult.TableRows> tables = new ArrayList<>();
        rows.forEach((key, count) -> {
            String[] parts = key.split("\u0000", 2);
            tables.add(new DumpResult.TableRows(parts[0], parts[1], count));
        });
        return new DumpResult.Shipment(done.stream().map(Shipped::stored).toList(), tables);
    }

    /** Counts (and so checks) a file, then uploads it; null when it turned out unfinished (shipped again later). */
    private Shipped ship(Path file, boolean mayBeUnfinished) throws IOException {
        String name = file.getFileName().toString();
        long rows = 0;
        if (name.endsWith(".gz")) {
            try {
                RowCounter.DumpFileName parsed = RowCounter.DumpFileName.parse(name);
                long counted = RowCounter.countRows(file, true);
                rows = parsed != null && parsed.data() ? counted : 0;
            } catch (EOFException | ZipException e) {
                if (mayBeUnfinished) {
                    taken.remove(file);
                    return null;
                }
                throw e;
            }
        }
        return new Shipped(file, rows, store.upload(prefix, file));
    }

    private static List<Shipped> collect(List<Future<Shipped>> futures) throws IOException, InterruptedException {
        List<Shipped> shipped = new ArrayList<>();
        for (Future<Shipped> future : futures) {
            try {
                Shipped one = future.get();
                if (one != null) {
                    shipped.add(one);
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw new IOException((cause instanceof IOException ? "Reading the dump failed: " : "Upload to S3 failed: ")
                        + cause.getMessage(), cause);
            }
        }
        return shipped;
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
