package dev.rewind.backup.dumper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading what mydumper 0.10 leaves: the metadata file's binlog position and the rows of each table. */
class DumpReadingTest {

    @Test
    void binlogPositionIsReadFromTheMasterBlockOnly() {
        BinlogPosition mysql = BinlogPosition.parse(List.of("Started dump at: 2026-11-23 05:07:45", "SHOW MASTER STATUS:",
                "\tLog: mysql-bin.000003", "\tPos: 36228", "\tGTID:bee9d299-e6f9-11f1-8712-02fc00000001:1-92,",
                "c1e2d3f4-e6f9-11f1-8712-02fc00000002:1-5", "", "SHOW SLAVE STATUS:", "\tLog: other-bin.000001",
                "\tPos: 4", "", "Finished dump at: 2026-11-23 05:07:45"));
        assertEquals(new BinlogPosition("mysql-bin.000003", 36228L,
                "bee9d299-e6f9-11f1-8712-02fc00000001:1-92,c1e2d3f4-e6f9-11f1-8712-02fc00000002:1-5"), mysql);

        BinlogPosition mariadb = BinlogPosition.parse(List.of("SHOW MASTER STATUS:", "\tLog: mariadb-bin.000002",
                "\tPos: 10825", "\tGTID:0-11-61", ""));
        assertEquals(new BinlogPosition("mariadb-bin.000002", 10825L, "0-11-61"), mariadb);

        BinlogPosition noBinlog = BinlogPosition.parse(List.of("Started dump at: x", "Finished dump at: y"));
        assertNull(noBinlog.file());
    }

    @Test
    void rowsAreCountedOneALineAndFileNamesSayTableAndKind(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("db.t.sql.gz");
        gz(data, "/*!40101 SET NAMES binary*/;\nINSERT INTO `t` VALUES\n(1,\"a\\n(b\"),\n(2,\"c\");\nINSERT INTO `t` VALUES\n(3,\"d\");\n");
        assertEquals(3, RowCounter.countRows(data, true));

        assertEquals(new RowCounter.DumpFileName("db", "t", true), RowCounter.DumpFileName.parse("db.t.sql.gz"));
        assertEquals(new RowCounter.DumpFileName("db", "big", true), RowCounter.DumpFileName.parse("db.big.00001.sql.gz"));
        assertEquals(new RowCounter.DumpFileName("db", "t", false), RowCounter.DumpFileName.parse("db.t-schema.sql.gz"));
        assertNull(RowCounter.DumpFileName.parse("db-schema-create.sql.gz"));
        assertNull(RowCounter.DumpFileName.parse("metadata"));
    }

    @Test
    void rowsAreCountedWhateverTheChunksTheBytesArriveIn() {
        byte[] dump = "INSERT INTO `t` VALUES\n(1,\"x\"),\n(2,\"(y\"),\n(3,\"z\");\n".getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= dump.length; split++) {
            RowCounter counter = new RowCounter();
            counter.scan(dump, 0, split);
            counter.scan(dump, split, dump.length - split);
            assertEquals(3, counter.rows(), "split at " + split);
        }
    }

    @Test
    void mysqldumpRowsAreCountedPerTableWhateverTheChunks() {
        String file = String.join("\n", "-- MariaDB dump 10.19",
                "-- CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000002', MASTER_LOG_POS=157;",
                "CREATE TABLE `customers` (", "  `id` int NOT NULL,", "  `note` text", ");",
                "INSERT INTO `customers` VALUES", "(1,'a\\n(not a row'),", "(2,'it\\'s'),", "(3,NULL);",
                "CREATE TABLE `empty_one` (", "  `id` int", ");",
                "CREATE TABLE `orders` (", "  `id` int", ");",
                "INSERT INTO `orders` VALUES", "(1);",
                "DELIMITER ;;", "CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW", "(select 1) ;;", "") ;
        byte[] dump = file.getBytes(StandardCharsets.UTF_8);
        List<DumpResult.TableRows> expected = List.of(new DumpResult.TableRows("shop", "customers", 3),
                new DumpResult.TableRows("shop", "empty_one", 0), new DumpResult.TableRows("shop", "orders", 1));
        for (int split = 0; split <= dump.length; split++) {
            TableRowCounter counter = TableRowCounter.of("mysqldump", "shop.sql");
            counter.scan(dump, 0, split);
            counter.scan(dump, split, dump.length - split);
            assertEquals(expected, counter.tables(), "split at " + split);
        }
    }

    @Test
    void mysqldumpBinlogPositionIsReadFromTheHeaderAndMariaDbGtidFromTheEnd(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shop.sql");
        Files.writeString(file, String.join("\n", "-- MariaDB dump 10.19",
                "-- CHANGE MASTER TO MASTER_USE_GTID=slave_pos;",
                "-- CHANGE MASTER TO MASTER_LOG_FILE='mariadb-bin.000001', MASTER_LOG_POS=2023623;",
                "CREATE TABLE `t` (`id` int);", "-- SET GLOBAL gtid_slave_pos='0-11-5173';", ""));
        assertEquals(new BinlogPosition("mariadb-bin.000001", 2023623L, "0-11-5173"), Mysqldump.binlogOf(file, "mariadb"));
        assertEquals(new BinlogPosition("mariadb-bin.000001", 2023623L, null), Mysqldump.binlogOf(file, "mysql"));
    }

    private static void gz(Path file, String content) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }
}
