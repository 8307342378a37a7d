package dev.rewind.pitr.reconstruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpWriterTest {

    @Test
    void writesAMydumperLayoutWithAManifestOfEveryFile(@TempDir Path tmp) throws Exception {
        MydumperDump in = MydumperDump.open(DumpRowReaderTest.resource("mariadb"));
        Path outDir = tmp.resolve("out");
        DumpWriter w = DumpWriter.create(outDir, WriterOptions.defaults().withGzip(true).withFileRows(2).withStatementBytes(10));
        w.writeDatabase("prc_probe", in.createDatabaseSql("prc_probe"));
        TableSchema s = in.tableSchema("prc_probe", "alltypes");
        MergeResult r = w.writeTable("prc_probe", s, s, in.dataFiles("prc_probe", "alltypes"), List.<RowChange>of().iterator());
        TableSchema e = in.tableSchema("prc_probe", "empty_t");
        w.writeTable("prc_probe", e, e, in.dataFiles("prc_probe", "empty_t"), List.<RowChange>of().iterator());
        Manifest m = w.finish(in.metadata());
        assertEquals(3, r.rowsWritten());

        List<String> names;
        try (Stream<Path> files = Files.list(outDir)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("manifest.json", "metadata", "prc_probe-schema-create.sql.gz",
                "prc_probe.alltypes-schema.sql.gz", "prc_probe.alltypes.00000.sql.gz", "prc_probe.alltypes.00001.sql.gz",
                "prc_probe.empty_t-schema.sql.gz"), names);
        JsonNode json = new ObjectMapper().readTree(outDir.resolve("manifest.json").toFile());
        assertEquals(6, json.get("file_count").asInt());
        for (JsonNode f : json.get("files")) {
            byte[] bytes = Files.readAllBytes(outDir.resolve(f.get("name").asText()));
            assertEquals(bytes.length, f.get("size_bytes").asLong());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), f.get("sha256").asText());
        }
        assertEquals(m.totalBytes(), json.get("total_bytes").asLong());
        assertEquals(in.metadata(), MydumperDump.open(outDir).metadata());

        // the output reads back as the same rows, in two chunks, one row per statement
        MydumperDump back = MydumperDump.open(outDir);
        assertEquals(s.createStatement(), back.tableSchema("prc_probe", "alltypes").createStatement());
        List<SqlValue[]> original = DumpRowReaderTest.readAll(s, in.dataFiles("prc_probe", "alltypes").get(0).open());
        List<SqlValue[]> copied = new ArrayList<>();
        for (DataFile f : back.dataFiles("prc_probe", "alltypes")) {
            copied.addAll(DumpRowReaderTest.readAll(s, f.open()));
        }
        assertEquals(original.size(), copied.size());
        for (int i = 0; i < original.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(original.get(i), copied.get(i));
        }
        String chunk = MydumperDump.readText(outDir.resolve("prc_probe.alltypes.00000.sql.gz"));
        assertTrue(chunk.startsWith("/*!40101 SET NAMES binary*/;"));
        assertEquals(2, chunk.split("INSERT INTO `alltypes` VALUES", -1).length - 1);
    }

    @Test
    void valuesBuiltFromChangesAreWrittenAsLiteralsThatReadBackEqual(@TempDir Path tmp) throws Exception {
        MydumperDump in = MydumperDump.open(DumpRowReaderTest.resource("mysql8"));
        TableSchema s = in.tableSchema("prc_probe", "alltypes");
        List<SqlValue[]> original = DumpRowReaderTest.readAll(s, in.dataFiles("prc_probe", "alltypes").get(0).open());
        DumpWriter w = DumpWriter.create(tmp.resolve("o"), WriterOptions.defaults());
        try (TableDataWriter d = w.openTableData("prc_probe", "alltypes")) {
            for (SqlValue[] row : original) {
                d.row(row);
            }
        }
        List<SqlValue[]> back = DumpRowReaderTest.readAll(s, Files.newInputStream(tmp.resolve("o/prc_probe.alltypes.00000.sql")));
        for (int i = 0; i < original.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(original.get(i), back.get(i));
        }
    }

    @Test
    void generatedColumnsAreLeftToTheServerAndInvisibleOnesAreNamed(@TempDir Path tmp) throws Exception {
        TableSchema g = TableSchema.parse("CREATE TABLE `g` (`id` int NOT NULL, `a` int DEFAULT NULL,"
                + " `b` int GENERATED ALWAYS AS ((`a` * 2)) VIRTUAL, `d` int DEFAULT NULL, `inv` int DEFAULT '7' /*!80023 INVISIBLE */,"
                + " PRIMARY KEY (`id`))");
        // mydumper names the columns in an order of its own and leaves the generated one out
        DataFile baseline = TableMergerTest.file("(10,5,1,7),(20,6,2,9),(30,7,3,7)");
        DataFile listed = new DataFile() {
            @Override
            public String name() {
                return "g.00000.sql";
            }

            @Override
            public java.io.InputStream open() throws IOException {
                return new java.io.ByteArrayInputStream(new String(baseline.open().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("INSERT INTO `t` VALUES", "INSERT INTO `g` (`a`,`d`,`id`,`inv`) VALUES")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        };
        java.util.Map<String, SqlValue> before = new java.util.LinkedHashMap<>();
        before.put("id", SqlValue.integer(2));
        before.put("a", SqlValue.integer(20));
        before.put("b", SqlValue.integer(40)); // MySQL's images carry virtual values, MariaDB's leave them out
        before.put("d", SqlValue.integer(6));
        before.put("inv", SqlValue.integer(9));
        java.util.Map<String, SqlValue> after = new java.util.LinkedHashMap<>(before);
        after.put("a", SqlValue.integer(21));
        after.put("b", SqlValue.integer(42));
        java.util.Map<String, SqlValue> inserted = new java.util.LinkedHashMap<>();
        inserted.put("id", SqlValue.integer(4));
        inserted.put("a", SqlValue.integer(1));
        inserted.put("d", SqlValue.NULL);
        inserted.put("inv", SqlValue.integer(-1));
        DumpWriter w = DumpWriter.create(tmp.resolve("o"), WriterOptions.defaults());
        MergeResult r = w.writeTable("db", g, g, List.of(listed),
                List.of(RowChange.update(before, after), RowChange.insert(inserted)).iterator());
        assertEquals(4, r.rowsWritten());
        String data = Files.readString(tmp.resolve("o/db.g.00000.sql"));
        assertTrue(data.contains("INSERT INTO `g` (`id`,`a`,`d`,`inv`) VALUES\n(1,10,5,7),\n(2,21,6,9),\n(3,30,7,7),\n(4,1,NULL,-1);"),
                data);
        List<SqlValue[]> back = DumpRowReaderTest.readAll(g, Files.newInputStream(tmp.resolve("o/db.g.00000.sql")));
        assertEquals(SqlValue.NULL, back.get(0)[2]);
        assertEquals(SqlValue.integer(7), back.get(0)[4]);
    }

    @Test
    void refusesANonEmptyDirectoryAndPathTricks(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("x"), "x");
        assertThrows(IOException.class, () -> DumpWriter.create(tmp, WriterOptions.defaults()));
        DumpWriter w = DumpWriter.create(tmp.resolve("o"), WriterOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> w.writeFile("../evil.sql", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.openTableData("shop", "../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> w.writeDatabase("..", "CREATE DATABASE x"));
    }

    @Test
    void metadataKeepsMydumpersLayout() {
        String text = "Started dump at: 2026-11-23 05:07:21\nSHOW MASTER STATUS:\n\tLog: mysql-bin.000003\n\tPos: 36228\n"
                + "\tGTID:bee9d299-e6f9-11f1-8712-02fc00000001:1-92\n\nFinished dump at: 2026-11-23 05:07:21\n";
        DumpMetadata m = DumpMetadata.parse(text);
        assertEquals("mysql-bin.000003", m.binlogFile());
        assertEquals(36228L, m.binlogPosition());
        assertEquals("bee9d299-e6f9-11f1-8712-02fc00000001:1-92", m.gtidSet());
        assertEquals(text, m.format());
    }

    @Test
    void fileNamesAreClassified() {
        assertEquals(new DumpFileName(DumpFileName.Kind.DATA, "shop", "orders", 3, true), DumpFileName.parse("shop.orders.00003.sql.gz"));
        assertEquals(new DumpFileName(DumpFileName.Kind.DATA, "shop", "orders", -1, false), DumpFileName.parse("shop.orders.sql"));
        assertEquals(DumpFileName.Kind.TABLE_SCHEMA, DumpFileName.parse("a/b/shop.orders-schema.sql.gz").kind());
        assertEquals(DumpFileName.Kind.SCHEMA_CREATE, DumpFileName.parse("shop-schema-create.sql").kind());
        assertEquals(DumpFileName.Kind.VIEW_SCHEMA, DumpFileName.parse("shop.v-schema-view.sql").kind());
        assertEquals(DumpFileName.Kind.METADATA, DumpFileName.parse("metadata").kind());
        assertEquals(DumpFileName.Kind.OTHER, DumpFileName.parse("manifest.json").kind());
    }
}
