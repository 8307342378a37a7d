package dev.rewind.pitr.reconstruct.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.pitr.reconstruct.DataFile;
import dev.rewind.pitr.reconstruct.DumpWriter;
import dev.rewind.pitr.reconstruct.MergeResult;
import dev.rewind.pitr.reconstruct.RowChange;
import dev.rewind.pitr.reconstruct.SqlValue;
import dev.rewind.pitr.reconstruct.TableDataWriter;
import dev.rewind.pitr.reconstruct.TableSchema;
import dev.rewind.pitr.reconstruct.ValueCodec;
import dev.rewind.pitr.reconstruct.WriterOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Merge rate of one table: a generated mydumper-format baseline of a realistic orders table
 * (default 1M rows) and row changes after it (default 100k: 60% updates, 20% deletes, 20%
 * inserts), written as a restorable dump. Run by bench/pitr-merge/run, never by the tests.
 */
public final class MergeBenchmark {
    static final String CREATE = """
            CREATE TABLE `orders` (
              `id` bigint NOT NULL,
              `customer_id` int unsigned NOT NULL,
              `status` enum('new','paid','shipped','cancelled') NOT NULL,
              `amount` decimal(12,2) NOT NULL,
              `currency` char(3) NOT NULL,
              `email` varchar(120) DEFAULT NULL,
              `note` varchar(255) DEFAULT NULL,
              `created_at` datetime(6) NOT NULL,
              `updated_at` timestamp(6) NULL DEFAULT NULL,
              `attrs` json DEFAULT NULL,
              PRIMARY KEY (`id`)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci""";
    static final String[] STATUS = {"new", "paid", "shipped", "cancelled"};

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args.length > 0 ? args[0] : "1000000");
        int changes = Integer.parseInt(args.length > 1 ? args[1] : "100000");
        Path work = Path.of(args.length > 2 ? args[2] : Files.createTempDirectory("pitr-merge-bench").toString());
        int runs = Integer.parseInt(args.length > 3 ? args[3] : "3");
        TableSchema schema = TableSchema.parse(CREATE);

        long t0 = System.nanoTime();
        Path plain = generate(schema, rows, work.resolve("baseline-plain"), false);
        Path gz = generate(schema, rows, work.resolve("baseline-gzip"), true);
        System.out.printf("generated baseline: %,d rows, %,d bytes plain, %,d bytes gzip (%.1f s)%n", rows,
                size(plain), size(gz), (System.nanoTime() - t0) / 1e9);

        List<String> jsonChanges = changesAsIndexJson(schema, rows, changes);
        ObjectMapper m = new ObjectMapper();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        List<RowChange> decoded = null;
        for (int run = 0; run < 2; run++) { // the second run is warm
            long d0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            decoded = decode(schema, m, jsonChanges);
            double decodeS = (System.nanoTime() - d0) / 1e9;
            double decodeCpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            System.out.printf("decoded %,d changes (before/after JSON images) in %.2f s wall, %.2f s CPU"
                    + " (%,.0f changes/s wall, %,.0f/s per CPU second)%n", decoded.size(), decodeS, decodeCpu,
                    decoded.size() / decodeS, decoded.size() / decodeCpu);
        }

        for (String[] c : new String[][] {{"plain", "plain", "false"}, {"gzip", "gzip(level 1)", "true"}}) {
            Path in = c[0].equals("plain") ? plain : gz;
            List<Double> secs = new ArrayList<>();
            List<Double> cpus = new ArrayList<>();
            List<Double> procCpus = new ArrayList<>();
            MergeResult last = null;
            for (int run = 0; run < runs; run++) {
                Path out = work.resolve("out-" + c[0] + "-" + run);
                long s = System.nanoTime();
                long cpu0 = mx.getCurrentThreadCpuTime();
                long proc0 = processCpuNanos();
                DumpWriter w = DumpWriter.create(out, WriterOptions.defaults().withGzip(Boolean.parseBoolean(c[2])));
                last = w.writeTable("bench", schema, schema, dataFiles(in), decoded.iterator());
                w.finish(new dev.rewind.pitr.reconstruct.DumpMetadata(null, null, null, null, null));
                secs.add((System.nanoTime() - s) / 1e9);
                cpus.add((mx.getCurrentThreadCpuTime() - cpu0) / 1e9);
                procCpus.add((processCpuNanos() - proc0) / 1e9);
                deleteTree(out);
            }
            double best = secs.stream().min(Double::compare).orElseThrow();
            System.out.printf("merge %s baseline -> %s output: runs %s s; best %.2f s = %,.0f baseline rows/s"
                            + " (%,.0f rows+changes/s); first run %,.0f rows/s%n",
                    c[0], c[1], secs.stream().map(x -> String.format("%.2f", x)).toList(), best,
                    last.baselineRows() / best, (last.baselineRows() + last.changesApplied()) / best,
                    last.baselineRows() / secs.get(0));
            double bestCpu = cpus.stream().min(Double::compare).orElseThrow();
            System.out.printf("  CPU: merging thread %s s (best %.2f s = %,.0f baseline rows per CPU second);"
                            + " whole process incl. (de)compression threads and GC %s s%n",
                    cpus.stream().map(x -> String.format("%.2f", x)).toList(), bestCpu, last.baselineRows() / bestCpu,
                    procCpus.stream().map(x -> String.format("%.2f", x)).toList());
            System.out.printf("  result: %,d written, %,d kept as is, %,d replaced, %,d deleted, %,d added, %,d changed keys%n",
                    last.rowsWritten(), last.rowsKeptAsIs(), last.rowsReplaced(), last.rowsDeleted(), last.rowsAdded(),
                    last.changedKeys());
        }
        System.out.printf("machine load average at the end: %s%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        deleteTree(work);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static List<DataFile> dataFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.\\d{5}\\.sql(\\.gz)?"))
                    .sorted().map(DataFile::of).toList();
        }
    }

    static SqlValue[] row(long id, SplittableRandom r, int version) {
        SqlValue[] v = new SqlValue[10];
        v[0] = SqlValue.integer(id);
        v[1] = SqlValue.integer(1 + r.nextInt(2_000_000));
        v[2] = SqlValue.text(STATUS[(int) ((id + version) % 4)], StandardCharsets.UTF_8);
        v[3] = new SqlValue.Decimal(BigDecimal.valueOf(r.nextInt(10_000_000), 2));
        v[4] = SqlValue.text(r.nextInt(10) < 8 ? "EUR" : "USD", StandardCharsets.UTF_8);
        v[5] = SqlValue.text("customer" + r.nextInt(2_000_000) + "@example.com", StandardCharsets.UTF_8);
        v[6] = r.nextInt(4) == 0 ? SqlValue.NULL : SqlValue.text("deliver to \"door\" " + id
                + (r.nextInt(10) == 0 ? "\nit's fragile \\ handle with care ✓" : ", ring twice"), StandardCharsets.UTF_8);
        long micros = 1_700_000_000_000_000L + id * 1_000_003L;
        v[7] = new SqlValue.Temporal(ts(micros));
        v[8] = new SqlValue.Temporal(ts(micros + 86_400_000_000L * (1 + version)));
        v[9] = new SqlValue.Json("{\"channel\": \"web\", \"items\": " + (1 + r.nextInt(9)) + ", \"gift\": "
                + (r.nextInt(5) == 0) + ", \"v\": " + version + "}");
        return v;
    }

    static String ts(long micros) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(micros / 1_000_000, (int) (micros % 1_000_000) * 1000,
                java.time.ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(26);
        pad(sb, t.getYear(), 4).append('-');
        pad(sb, t.getMonthValue(), 2).append('-');
        pad(sb, t.getDayOfMonth(), 2).append(' ');
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2).append('.');
        return pad(sb, (int) (micros % 1_000_000), 6).toString();
    }

    private static StringBuilder pad(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    static Path generate(TableSchema schema, int rows, Path dir, boolean gzip) throws IOException {
        DumpWriter w = DumpWriter.create(dir, WriterOptions.defaults().withGzip(gzip).withFileBytes(Long.MAX_VALUE));
        SplittableRandom r = new SplittableRandom(42);
        try (TableDataWriter d = w.openTableData("bench", "orders")) {
            for (long id = 1; id <= rows; id++) {
                d.row(row(id, r, 0));
            }
        }
        return dir;
    }

    /** Changes as the index would store them: JSON images. 60% updates, 20% deletes, 20% inserts. */
    static List<String> changesAsIndexJson(TableSchema schema, int rows, int n) {
        SplittableRandom r = new SplittableRandom(7);
        SplittableRandom gen = new SplittableRandom(42);
        ObjectMapper m = new ObjectMapper();
        List<String> out = new ArrayList<>(n);
        long nextId = rows + 1L;
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            long id = 1 + r.nextInt(rows);
            Map<String, SqlValue> before = image(schema, row(id, gen, 0));
            String json;
            if (kind < 6) {
                json = "{\"op\":\"update\",\"before\":" + ValueCodec.encodeImage(schema, before)
                        + ",\"after\":" + ValueCodec.encodeImage(schema, image(schema, row(id, gen, 1 + i))) + "}";
            } else if (kind < 8) {
                json = "{\"op\":\"delete\",\"before\":" + ValueCodec.encodeImage(schema, before) + "}";
            } else {
                json = "{\"op\":\"insert\",\"after\":" + ValueCodec.encodeImage(schema, image(schema, row(nextId++, gen, 0))) + "}";
            }
            out.add(json);
        }
        return out;
    }

    static List<RowChange> decode(TableSchema schema, ObjectMapper m, List<String> json) throws IOException {
        List<RowChange> out = new ArrayList<>(json.size());
        for (String s : json) {
            JsonNode n = m.readTree(s);
            Map<String, SqlValue> before = n.has("before") ? ValueCodec.decodeImage(schema, n.get("before")) : null;
            Map<String, SqlValue> after = n.has("after") ? ValueCodec.decodeImage(schema, n.get("after")) : null;
            out.add(new RowChange(RowChange.Op.valueOf(n.get("op").asText().toUpperCase()), before, after));
        }
        return out;
    }

    static Map<String, SqlValue> image(TableSchema s, SqlValue[] row) {
        Map<String, SqlValue> m = new LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            m.put(s.columns().get(i).name(), row[i]);
        }
        return m;
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
