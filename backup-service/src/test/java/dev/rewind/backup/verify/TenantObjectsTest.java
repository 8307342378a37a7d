package dev.rewind.backup.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tenant's DEFINERs become the verification's own account and its events are created disabled; nothing else changes. */
class TenantObjectsTest {

    @Test
    void mydumperStatementsLoseTheirDefinerAndEventsAreCreatedDisabled() {
        assertEquals("CREATE DEFINER=CURRENT_USER FUNCTION `f`() RETURNS int(11)",
                TenantObjects.rewrite("CREATE DEFINER=`root`@`localhost` FUNCTION `f`() RETURNS int(11)"));
        assertEquals("CREATE DEFINER=CURRENT_USER trigger tr after insert on t for each row insert into victim.log values ('x');",
                TenantObjects.rewrite("CREATE DEFINER=`root`@`%` trigger tr after insert on t for each row insert into victim.log values ('x');"));
        assertEquals("CREATE ALGORITHM=UNDEFINED DEFINER=CURRENT_USER SQL SECURITY DEFINER VIEW `vw` AS select 1",
                TenantObjects.rewrite("CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `vw` AS select 1"));
        assertEquals("CREATE DEFINER=CURRENT_USER EVENT `ev` ON SCHEDULE EVERY 1 SECOND STARTS '2026-12-04 17:49:10' ON COMPLETION"
                        + " NOT PRESERVE DISABLE DO insert into victim.log values ('event')",
                TenantObjects.rewrite("CREATE DEFINER=`root`@`localhost` EVENT `ev` ON SCHEDULE EVERY 1 SECOND STARTS"
                        + " '2026-12-04 17:49:10' ON COMPLETION NOT PRESERVE ENABLE DO insert into victim.log values ('event')"));
    }

    @Test
    void mysqldumpVersionedCommentsAreRewrittenToo() {
        assertEquals("/*!50003 CREATE*/ /*!50017 DEFINER=CURRENT_USER*/ /*!50003 trigger tr after insert on t for each row set @a = 1 */;;",
                TenantObjects.rewrite("/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 trigger tr after insert on t for each row set @a = 1 */;;"));
        assertEquals("/*!50106 CREATE*/ /*!50117 DEFINER=CURRENT_USER*/ /*!50106 EVENT `ev` ON SCHEDULE AT '2030-01-01 00:00:00'"
                        + " ON COMPLETION PRESERVE DISABLE COMMENT 'nightly ENABLE DO' DO delete from t */ ;;",
                TenantObjects.rewrite("/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `ev` ON SCHEDULE AT"
                        + " '2030-01-01 00:00:00' ON COMPLETION PRESERVE ENABLE COMMENT 'nightly ENABLE DO' DO delete from t */ ;;"));
        assertEquals("/*!50013 DEFINER=CURRENT_USER SQL SECURITY DEFINER */",
                TenantObjects.rewrite("/*!50013 DEFINER=`admin`@`10.0.%` SQL SECURITY DEFINER */"));
        assertEquals("CREATE DEFINER=CURRENT_USER PROCEDURE p() select 1",
                TenantObjects.rewrite("CREATE DEFINER='ro''ot'@'localhost' PROCEDURE p() select 1"));
    }

    @Test
    void namesAndStringsThatLookLikeClausesAreLeftAlone() {
        String tricky = "CREATE DEFINER=CURRENT_USER EVENT `x ENABLE DO` ON SCHEDULE EVERY 1 DAY ON COMPLETION NOT PRESERVE"
                + " DISABLE ON SLAVE DO insert into t values ('DEFINER=`root`@`localhost` ENABLE DO')";
        assertEquals(tricky.replace("DISABLE ON SLAVE DO", "DISABLE DO"), TenantObjects.rewrite(tricky));
        String user = "CREATE DEFINER=`a``b`@`%` TRIGGER `DEFINER=x` BEFORE INSERT ON t FOR EACH ROW SET NEW.note = 'DEFINER=`root`'";
        assertEquals("CREATE DEFINER=CURRENT_USER TRIGGER `DEFINER=x` BEFORE INSERT ON t FOR EACH ROW SET NEW.note = 'DEFINER=`root`'",
                TenantObjects.rewrite(user));
        assertEquals("CREATE TABLE `t` (`definer` varchar(10) DEFAULT 'ENABLE DO')",
                TenantObjects.rewrite("CREATE TABLE `t` (`definer` varchar(10) DEFAULT 'ENABLE DO')"));
    }

    @Test
    void aMysqldumpFileKeepsItsDataLinesByteForByte() throws IOException {
        byte[] insert = "INSERT INTO `t` VALUES (1,'DEFINER=`root`@`localhost` ENABLE DO \u00e9\\r\\n');"
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        dump.writeBytes("/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 trigger tr before insert on t for each row set @a = 1 */;;\n"
                .getBytes(StandardCharsets.UTF_8));
        dump.writeBytes(insert);
        dump.write('\n');
        dump.write(0xff); // not UTF-8: passes as it is
        dump.writeBytes(" -- end".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TenantObjects.copy(new ByteArrayInputStream(dump.toByteArray()), out, true);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("/*!50003 CREATE*/ /*!50017 DEFINER=CURRENT_USER*/ /*!50003 trigger tr before insert on t for each row set @a = 1 */;;\n"
                .getBytes(StandardCharsets.UTF_8));
        expected.writeBytes(insert);
        expected.write('\n');
        expected.write(0xff);
        expected.writeBytes(" -- end".getBytes(StandardCharsets.UTF_8));
        assertEquals(expected.toString(StandardCharsets.ISO_8859_1), out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void anInsertLongerThanALineBufferPassesThroughWhole() throws IOException {
        StringBuilder big = new StringBuilder("INSERT INTO `t` VALUES ");
        while (big.length() < 3 << 20) {
            big.append("(1,'DEFINER=`root`@`localhost`'),");
        }
        big.append("(2,'end');");
        String dump = big + "\nCREATE DEFINER=`root`@`localhost` PROCEDURE p() select 1\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TenantObjects.copy(new ByteArrayInputStream(dump.getBytes(StandardCharsets.ISO_8859_1)), out, true);
        assertEquals(big + "\nCREATE DEFINER=CURRENT_USER PROCEDURE p() select 1\n", out.toString(StandardCharsets.ISO_8859_1));
    }
}
