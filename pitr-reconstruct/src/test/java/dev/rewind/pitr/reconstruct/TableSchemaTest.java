package dev.rewind.pitr.reconstruct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TableSchemaTest {

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql8"})
    void parsesEveryColumnTypeOfBothSourcesCreateTable(String source) throws Exception {
        TableSchema s = MydumperDump.open(DumpRowReaderTest.resource(source)).tableSchema("prc_probe", "alltypes");
        assertEquals("alltypes", s.name());
        assertEquals(29, s.columnCount());
        assertEquals(List.of("id"), s.primaryKey());
        ColumnType iu = s.columns().get(s.indexOf("i_u")).type();
        assertEquals(ColumnType.Kind.INT, iu.kind());
        assertTrue(iu.unsigned());
        assertEquals(6, s.columns().get(s.indexOf("dec1")).type().scale());
        assertEquals(ColumnType.Kind.FLOAT, s.columns().get(s.indexOf("f")).type().kind());
        assertEquals(12, s.columns().get(s.indexOf("b12")).type().length());
        assertEquals(3, s.columns().get(s.indexOf("tm")).type().scale());
        assertEquals(ColumnType.Kind.TIMESTAMP, s.columns().get(s.indexOf("ts")).type().kind());
        assertEquals(ColumnType.Kind.YEAR, s.columns().get(s.indexOf("yr")).type().kind());
        assertEquals(ColumnType.Kind.CHAR, s.columns().get(s.indexOf("c")).type().kind());
        assertEquals("latin1", s.columns().get(s.indexOf("l1")).type().charset());
        assertEquals("utf8mb4", s.columns().get(s.indexOf("tx")).type().charset());
        assertEquals(4, s.columns().get(s.indexOf("bn")).type().length());
        assertEquals(ColumnType.Kind.BYTES, s.columns().get(s.indexOf("bl")).type().kind());
        assertEquals(List.of("a", "b", "c d"), s.columns().get(s.indexOf("en")).type().labels());
        assertEquals(List.of("x", "y", "z"), s.columns().get(s.indexOf("st")).type().labels());
        // MariaDB's JSON is LONGTEXT with a CHECK; MySQL 8 has a real JSON type
        assertEquals(source.equals("mysql8") ? ColumnType.Kind.JSON : ColumnType.Kind.TEXT,
                s.columns().get(s.indexOf("js")).type().kind());
        assertEquals(s.indexOf("VC"), s.indexOf("vc"));
    }

    @Test
    void compositePrimaryKeyIsInKeyOrderNotColumnOrder() throws Exception {
        TableSchema s = MydumperDump.open(DumpRowReaderTest.resource("mariadb")).tableSchema("prc_probe", "comp");
        assertEquals(List.of("b", "a"), s.primaryKey());
        assertEquals(1, s.primaryKeyPositions()[0]);
    }

    @Test
    void tableWithoutPrimaryKeyHasNone() throws Exception {
        TableSchema s = MydumperDump.open(DumpRowReaderTest.resource("mysql8")).tableSchema("prc_probe", "nopk");
        assertFalse(s.hasPrimaryKey());
        assertEquals(2, s.columnCount());
    }

    @Test
    void quotedNamesDefaultsWithParenthesesAndCommentsDoNotConfuseTheParser() {
        TableSchema s = TableSchema.parse("CREATE TABLE IF NOT EXISTS `db`.`we``ird` (\n"
                + "  `a,b` int NOT NULL DEFAULT '0' COMMENT 'x, (y)',\n"
                + "  `e` enum('it''s','a,b') NOT NULL,\n"
                + "  `c` char(3) CHARACTER SET ascii DEFAULT 'a)b',\n"
                + "  PRIMARY KEY (`a,b`),\n  KEY `k` (`c`(2))\n) ENGINE=InnoDB DEFAULT CHARSET=latin1");
        assertEquals("we`ird", s.name());
        assertEquals(List.of("a,b"), s.primaryKey());
        assertEquals(List.of("it's", "a,b"), s.columns().get(1).type().labels());
        assertEquals("latin1", s.columns().get(1).type().charset());
        assertEquals("ascii", s.columns().get(2).type().charset());
    }

    @Test
    void generatedAndInvisibleColumnsAreKnownAsSuchAndNonTablesAreRefused() {
        TableSchema mariadb = TableSchema.parse("CREATE TABLE `g` (`id` int(11) NOT NULL, `a` int(11) DEFAULT NULL,"
                + " `b` int(11) GENERATED ALWAYS AS (`a` * 2) VIRTUAL, `c` varchar(12) GENERATED ALWAYS AS (concat(`s`,'!')) STORED,"
                + " `s` varchar(10) DEFAULT 'AS (x)', `inv` int(11) INVISIBLE DEFAULT 7, PRIMARY KEY (`id`))");
        TableSchema mysql = TableSchema.parse("CREATE TABLE `g` (`id` int NOT NULL, `a` int DEFAULT NULL,"
                + " `b` int GENERATED ALWAYS AS ((`a` * 2)) VIRTUAL, `c` varchar(12) GENERATED ALWAYS AS (concat(`s`,_utf8mb4'!')) STORED,"
                + " `s` varchar(10) DEFAULT 'AS (x)' COMMENT 'not INVISIBLE', `inv` int DEFAULT '7' /*!80023 INVISIBLE */,"
                + " PRIMARY KEY (`id`))");
        for (TableSchema t : List.of(mariadb, mysql)) {
            assertEquals(List.of(false, false, true, true, false, false), t.columns().stream().map(Column::generated).toList());
            assertEquals(List.of(false, false, false, false, false, true), t.columns().stream().map(Column::invisible).toList());
            assertArrayEquals(new int[] {0, 1, 4, 5}, t.insertablePositions());
            assertTrue(t.needsColumnList());
        }
        TableSchema shortForm = SchemaEvolution.applyAlter(TableSchema.parse("CREATE TABLE `t` (`a` int)"),
                "ALTER TABLE t ADD COLUMN b int AS (a + 1) STORED");
        assertTrue(shortForm.columns().get(1).generated());
        assertFalse(TableSchema.parse("CREATE TABLE `t` (`a` int, `b` varchar(5))").needsColumnList());
        assertThrows(IllegalArgumentException.class, () -> TableSchema.parse("CREATE VIEW v AS SELECT 1"));
    }
}
