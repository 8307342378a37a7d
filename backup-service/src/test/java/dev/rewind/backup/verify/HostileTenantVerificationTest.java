package dev.rewind.backup.verify;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.backup.support.Verifications;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A tenant's dump holds its triggers, routines, views and events with {@code DEFINER=root}, and an event that writes
 * into another database every second. Verified on the local stack's verifiers (the shared sources, with the event
 * scheduler on), the dump must restore as the verification's own account: every DEFINER is that account, the event is
 * created disabled, the other database is never written, and the account is gone afterwards. What the verifier
 * executed is read back from its binlog (the restore account cannot keep its writes out of it).
 */
@QuarkusTest
class HostileTenantVerificationTest {

    static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);

    @ParameterizedTest
    @CsvSource({"mariadb,mydumper", "mysql8,mydumper", "mariadb,mysqldump", "mysql8,mysqldump"})
    void aTenantsObjectsRunWithTheScratchAccountsRightsOnlyAndItsEventsNever(String kind, String tool) {
        boolean mariadb = kind.equals("mariadb");
        int port = Integer.parseInt(LocalStack.env(mariadb ? "REWIND_MARIADB_PORT" : "REWIND_MYSQL8_PORT"));
        UUID server = mariadb ? TestServers.mariadb("acme") : TestServers.mysql8("acme");
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String tenant = "bk_evil_" + suffix;
        String victim = "bk_victim_" + suffix;
        String scheduler = SourceSchema.run(port, "select @@global.event_scheduler").strip();
        try {
            SourceSchema.run(port, "create database " + victim + "; create table " + victim + ".log (msg varchar(200));"
                    + "create database " + tenant + "; use " + tenant + ";"
                    + "create table t (id int primary key, v varchar(20)); insert into t values (1, 'a'), (2, 'b');"
                    + "create definer=`root`@`localhost` trigger tr after insert on t for each row"
                    + " insert into " + victim + ".log values (concat('trigger in ', database()));"
                    + "create definer=`root`@`localhost` procedure p() insert into " + victim + ".log values ('procedure');"
                    + "create definer=`root`@`localhost` function f() returns int deterministic return 1;"
                    + "create definer=`root`@`localhost` sql security definer view vw as select id from t;"
                    + "create definer=`root`@`localhost` event ev on schedule every 1 second do"
                    + " insert into " + victim + ".log values (concat('event in ', database()));");
            SourceSchema.run(port, "set global event_scheduler = ON");
            String[] start = SourceSchema.run(port, "show master status").strip().split("\t");

            String id = given().auth().oauth2(ADMIN).contentType("application/json")
                    .body("{\"server_id\":\"%s\",\"databases\":[\"%s\"],\"backup_tool\":\"%s\",\"verify\":true}"
                            .formatted(server, tenant, tool))
                    .when().post("/backup")
                    .then().statusCode(202).extract().path("backup_id");
            UUID backupId = UUID.fromString(id);
            JsonPath entry = Backups.awaitFinished(backupId, ADMIN);
            assertEquals("completed", entry.getString("status"), () -> "error: " + entry.getString("error_message")
                    + " / verification: " + entry.getString("verification.reason"));
            assertThat(entry.getString("verification.reason"), entry.getString("verification.status"), is("passed"));

            String account = "rewind_verify_" + backupId.toString().substring(0, 8);
            String scratch = account + "_" + tenant;
            List<String> created = binlogStatements(port, start[0], Long.parseLong(start[1]), scratch);
            List<String> definers = created.stream().filter(s -> s.toUpperCase().contains("DEFINER=")).toList();
            assertThat("what the verifier created in " + scratch + ": " + created, definers.size(), greaterThanOrEqualTo(4));
            for (String statement : definers) {
                assertThat(statement, allOf(containsString("DEFINER=`" + account + "`@`%`"), not(containsString("`root`"))));
            }
            List<String> events = definers.stream().filter(s -> s.matches("(?is).*\\bEVENT\\b.*\\bON SCHEDULE\\b.*")).toList();
            assertThat(created.toString(), events, hasSize(1));
            assertThat(events.get(0), allOf(containsString(" DISABLE "), not(containsString(" ENABLE "))));

            Thread.sleep(1500); // the scheduler runs every second: give an enabled event its chance
            String written = SourceSchema.run(port, "select msg from " + victim + ".log where msg like '%rewind_verify%'");
            assertEquals("", written.strip(), "nothing restored wrote into another database");
            assertEquals("0", SourceSchema.run(port, "select count(*) from mysql.user where user = '" + account + "'").strip(),
                    "the verification's account is dropped");
            assertEquals("", Verifications.scratchDatabasesLeft(port, backupId), "the scratch database is dropped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            SourceSchema.run(port, "set global event_scheduler = " + scheduler + "; drop database if exists " + tenant
                    + "; drop database if exists " + victim);
        }
    }

    /** The statements written to the server's binlog since {@code file:position} that ran in {@code database}. */
    static List<String> binlogStatements(int port, String file, long position, String database) {
        List<String> statements = new ArrayList<>();
        boolean reached = false;
        for (String line : SourceSchema.run(port, "show binary logs").strip().split("\n")) {
            String name = line.split("\t")[0];
            reached |= name.equals(file);
            if (!reached) {
                continue;
            }
            String from = name.equals(file) ? " from " + position : "";
            for (String event : SourceSchema.run(port, "show binlog events in '" + name + "'" + from).split("\n")) {
                String[] columns = event.split("\t", 6);
                if (columns.length == 6 && columns[5].contains("`" + database + "`")) {
                    statements.add(columns[5]);
                }
            }
        }
        return statements;
    }
}
