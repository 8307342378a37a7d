package dev.rewind.pitr.run;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.Baselines;
import dev.rewind.pitr.support.Restores;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import dev.rewind.testing.Tokens;
import io.restassured.http.ContentType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the server changes without row events, between a baseline and a target, restored equal to the source at the
 * target on each source: foreign-key cascades (ON DELETE CASCADE / SET NULL, ON UPDATE CASCADE, across databases),
 * ALTER TABLE (columns added with defaults, renamed, retyped, dropped, reordered, a primary key added), TRUNCATE,
 * DROP TABLE then CREATE again, RENAME TABLE, generated (STORED and VIRTUAL) and invisible columns. Each of these came
 * back wrong or refused before.
 */
@QuarkusTest
class RecoveryTruthTest {

    static final List<String> TABLES = List.of("c", "n", "x", "m", "k", "t", "d", "r");

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Inject
    PitrStorage storage;

    @ParameterizedTest
    @EnumSource(Sources.class)
    void changesTheServerMakesWithoutRowEventsAreRestoredAsTheyWere(Sources source) throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, source, "acme");
        String schema = source.createSchema();
        String other = source.createSchema();
        try {
            source.execute("use " + schema,
                    "create table p (id int primary key, name varchar(20))",
                    "create table c (id int primary key, pid int, v varchar(20),"
                            + " foreign key (pid) references p (id) on delete cascade on update cascade)",
                    "create table n (id int primary key, pid int null, v int, foreign key (pid) references p (id) on delete set null on update set null)",
                    "create table " + other + ".x (id int primary key, pid int not null, foreign key (pid) references " + schema
                            + ".p (id) on delete cascade on update cascade)",
                    "create table m (id int primary key, a int, b varchar(10), d decimal(8,2), s varchar(10) charset latin1)",
                    "create table k (a int, b varchar(10))",
                    "create table t (id int primary key, v int)",
                    "create table d (id int primary key, v int)",
                    "create table r_old (id int primary key, v int)");
            for (int i = 1; i <= 6; i++) {
                source.execute("use " + schema, "insert into p values (" + i + ", 'p" + i + "')");
                for (int j = 0; j < 3; j++) {
                    int id = i * 10 + j;
                    source.execute("use " + schema, "insert into c values (" + id + ", " + i + ", 'c" + id + "')",
                            "insert into n values (" + id + ", " + i + ", " + id + ")",
                            "insert into " + other + ".x values (" + id + ", " + i + ")");
                }
                source.execute("use " + schema, "insert into m values (" + i + ", " + i + ", 'b" + i + "', " + i + ".25, 'é" + i + "')",
                        "insert into k values (" + i + ", 'k" + i + "')", "insert into t values (" + i + ", " + i + ")",
                        "insert into d values (" + i + ", " + i + ")", "insert into r_old values (" + i + ", " + i + ")");
            }
            Baselines.Baseline baseline = Baselines.take(storage, source, server, schema, other);
            await().atMost(Duration.ofSeconds(30)).until(() -> PitrCorrectnessTest.coverage(server).getList("baselines.backup_id")
                    .contains(baseline.backupId().toString()));

            source.execute("use " + schema,
                    // cascades: a child changed after the baseline, then its parent deleted; parents deleted and re-keyed
                    "update c set v = 'changed' where id = 30",
                    "update n set v = -1 where id = 30",
                    "delete from p where id = 1",
                    "update p set id = 20 where id = 2",
                    "insert into c values (70, 20, 'new child of 20')",
                    "delete from p where id = 3",
                    "update p set id = 21 where id = 20",
                    "update p set name = 'renamed' where id = 4",
                    // ALTER TABLE between writes
                    "update m set b = 'before' where id = 1",
                    "alter table m add column e int not null default 7, add column f varchar(5) null",
                    "insert into m (id, a, b, d, s, e, f) values (7, 7, 'b7', 7.5, 'ü7', 8, 'f7')",
                    "alter table m change column b bb varchar(12)",
                    "update m set bb = 'after' where id = 2",
                    "alter table m modify d decimal(10,3), modify s varchar(10) charset utf8mb4",
                    "update m set d = 3.125 where id = 3",
                    "alter table m drop column a",
                    "alter table m add column g int default 5 first",
                    "delete from m where id = 4",
                    "alter table k add primary key (a)",
                    "update k set b = 'kk' where a = 2",
                    // TRUNCATE, DROP + CREATE, RENAME
                    "insert into t values (100, 100)",
                    "truncate table t",
                    "insert into t values (7, 7)",
                    "drop table d",
                    "create table d (id int primary key, w varchar(5))",
                    "insert into d values (1, 'w1')",
                    "rename table r_old to r",
                    "insert into r values (7, 7)",
                    "update r set v = 0 where id = 1");
            PitrCorrectnessTest.sleepIntoNextSecond(300);
            Map<String, List<String>> truth = contents(source, schema, other);
            OffsetDateTime target = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            PitrCorrectnessTest.sleepIntoNextSecond(100);
            source.execute("use " + schema, "delete from p where id = 5", "insert into m (id, bb, d, s, e) values (9, 'later', 1, 'x', 1)",
                    "truncate table t");

            assertThat("the cascade removed children", truth.get("c"), not(hasItem(startsWith("10|"))));
            assertThat(truth.get("n"), hasItem("10|null|10"));
            assertThat(truth.get("c"), hasItem("20|21|c20"));
            Map<String, List<String>> rebuilt = PitrCorrectnessTest.pitr(storage, source, server, schema, target,
                    List.of("c", "n", "m", "k", "t", "d", "r"));
            for (String table : List.of("c", "n", "m", "k", "t", "d", "r")) {
                assertThat(table + " at " + target, rebuilt.get(table), equalTo(truth.get(table)));
            }
            Map<String, List<String>> otherRebuilt = PitrCorrectnessTest.pitr(storage, source, server, other, target, List.of("x"));
            assertThat("x (another database) at " + target, otherRebuilt.get("x"), equalTo(truth.get("x")));
        } finally {
            source.dropSchema(other);
            source.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Sources.class)
    void cascadesOfCascadesReachGrandchildrenAndTrees(Sources source) throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, source, "acme");
        String schema = source.createSchema();
        try {
            source.execute("use " + schema,
                    "create table g (id int primary key)",
                    "create table p (id int primary key, gid int, foreign key (gid) references g (id) on delete cascade)",
                    "create table c (id int primary key, pid int, foreign key (pid) references p (id) on delete cascade)",
                    "create table s (id int primary key, pid int null, foreign key (pid) references p (id) on delete set null)",
                    "create table node (id int primary key, parent int null, label varchar(10),"
                            + " foreign key (parent) references node (id) on delete cascade)");
            for (int i = 1; i <= 3; i++) {
                source.execute("use " + schema, "insert into g values (" + i + ")");
                for (int j = 0; j < 2; j++) {
                    int pid = i * 10 + j;
                    source.execute("use " + schema, "insert into p values (" + pid + ", " + i + ")");
                    for (int k = 0; k < 2; k++) {
                        source.execute("use " + schema, "insert into c values (" + (pid * 10 + k) + ", " + pid + ")",
                                "insert into s values (" + (pid * 10 + k) + ", " + pid + ")");
                    }
                }
            }
            // a tree: 1 <- 2 <- 3 <- 4, 1 <- 5, and 6 alone
            source.execute("use " + schema, "insert into node values (1, null, 'root'), (6, null, 'other')",
                    "insert into node values (2, 1, 'a'), (5, 1, 'b')", "insert into node values (3, 2, 'c')",
                    "insert into node values (4, 3, 'd')");
            Baselines.Baseline baseline = Baselines.take(storage, source, server, schema);
            await().atMost(Duration.ofSeconds(30)).until(() -> PitrCorrectnessTest.coverage(server).getList("baselines.backup_id")
                    .contains(baseline.backupId().toString()));
            source.execute("use " + schema,
                    "insert into c values (999, 20)", // a grandchild added after the baseline, removed by the cascade below
                    "update node set label = 'moved' where id = 4",
                    "insert into node values (7, 3, 'new')",
                    "delete from g where id = 2", // p 20, 21 -> c 200, 201, 210, 211, 999; s set null
                    "delete from node where id = 2", // 3, 4, 7 go with it
                    "insert into g values (2)", "insert into p values (20, 2)", "insert into c values (200, 20)");
            PitrCorrectnessTest.sleepIntoNextSecond(300);
            Map<String, List<String>> truth = new LinkedHashMap<>();
            try (Connection c = source.root()) {
                for (String table : List.of("p", "c", "s", "node")) {
                    truth.put(table, Restores.rows(c, schema, table));
                }
            }
            OffsetDateTime target = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            PitrCorrectnessTest.sleepIntoNextSecond(100);
            source.execute("use " + schema, "delete from g where id = 1");
            assertThat(truth.get("node"), contains("1|null|root", "5|1|b", "6|null|other"));
            assertThat(truth.get("c"), hasItem("200|20"));
            assertThat(truth.get("c"), not(hasItem("201|20")));
            Map<String, List<String>> rebuilt = PitrCorrectnessTest.pitr(storage, source, server, schema, target,
                    List.of("p", "c", "s", "node"));
            for (String table : List.of("p", "c", "s", "node")) {
                assertThat(table + " at " + target, rebuilt.get(table), equalTo(truth.get(table)));
            }
        } finally {
            source.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Sources.class)
    void generatedAndInvisibleColumnsAreRestoredAndRecomputed(Sources source) throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, source, "acme");
        String schema = source.createSchema();
        try {
            source.execute("use " + schema,
                    "create table g (id int primary key, a int, b int as (a * 2) virtual, s varchar(10),"
                            + " c varchar(12) as (concat(s, '!')) stored, inv int default 7 invisible)",
                    "create table kg (a int, v int as (a + 1) virtual, w varchar(8) as (concat('w', a)) stored)");
            for (int i = 1; i <= 5; i++) {
                source.execute("use " + schema, "insert into g (id, a, s, inv) values (" + i + ", " + i + ", 's" + i + "', " + i * 100 + ")",
                        "insert into kg (a) values (" + (i % 3) + ")");
            }
            Baselines.Baseline baseline = Baselines.take(storage, source, server, schema);
            await().atMost(Duration.ofSeconds(30)).until(() -> PitrCorrectnessTest.coverage(server).getList("baselines.backup_id")
                    .contains(baseline.backupId().toString()));
            source.execute("use " + schema,
                    "update g set a = 50 where id = 1",
                    "update g set inv = -1 where id = 2",
                    "delete from g where id = 3",
                    "insert into g (id, a, s) values (6, 6, 'six')",
                    "alter table g add column h bigint as (a * 10) stored, add column inv2 varchar(5) invisible default 'q'",
                    "update g set inv2 = 'z', s = 'new' where id = 4",
                    "insert into g (id, a, s, inv, inv2) values (7, 7, 'seven', 70, 'x')",
                    "delete from kg where a = 1 limit 1",
                    "update kg set a = 9 where a = 2",
                    "insert into kg (a) values (0)");
            PitrCorrectnessTest.sleepIntoNextSecond(300);
            Map<String, List<String>> truth = new LinkedHashMap<>();
            try (Connection c = source.root()) {
                for (String table : List.of("g", "kg")) {
                    truth.put(table, Restores.rows(c, schema, table));
                }
            }
            OffsetDateTime target = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            PitrCorrectnessTest.sleepIntoNextSecond(100);
            source.execute("use " + schema, "update g set a = 0", "delete from kg");

            assertThat("invisible and generated values are part of the truth", truth.get("g"),
                    hasItems("1|50|100|s1|s1!|100|500|q", "4|4|8|new|new!|400|40|z", "7|7|14|seven|seven!|70|70|x"));
            Map<String, List<String>> rebuilt = PitrCorrectnessTest.pitr(storage, source, server, schema, target, List.of("g", "kg"));
            for (String table : List.of("g", "kg")) {
                assertThat(table + " at " + target, rebuilt.get(table), equalTo(truth.get(table)));
            }
        } finally {
            source.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Sources.class)
    void aTargetCanBeATransactionsGtidOrABinlogPosition(Sources source) throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, source, "acme");
        String schema = source.createSchema();
        try {
            source.execute("use " + schema, "create table tick (id int primary key, v int)", "insert into tick values (1, 0)");
            Baselines.Baseline baseline = Baselines.take(storage, source, server, schema);
            await().atMost(Duration.ofSeconds(30)).until(() -> PitrCorrectnessTest.coverage(server).getList("baselines.backup_id")
                    .contains(baseline.backupId().toString()));
            String afterFirst;
            String gtidsAfterFirst;
            String secondGtid;
            String[] afterSecond;
            // all in one second, so that no time target could tell them apart; a GRANT between them moves the GTID
            // set without row events
            try (Connection c = source.root(); Statement s = c.createStatement()) {
                s.execute("use " + schema);
                s.executeUpdate("update tick set v = 1 where id = 1");
                s.execute("create user if not exists 'rw_gtid_probe'@'localhost' identified by 'x'");
                s.execute("grant select on " + schema + ".* to 'rw_gtid_probe'@'localhost'");
                String[] first = serverPlace(source, s);
                afterFirst = first[0] + ":" + first[1];
                gtidsAfterFirst = first[2];
                s.executeUpdate("update tick set v = 2 where id = 1");
                secondGtid = lastGtid(source, s);
                afterSecond = serverPlace(source, s);
                s.executeUpdate("update tick set v = 3 where id = 1");
            }
            List<String> table = List.of("tick");
            PitrCorrectnessTest.Output atPosition = PitrCorrectnessTest.output(storage, source, server, schema,
                    Map.of("target_position", afterFirst), table);
            assertThat(atPosition.tables().get("tick"), contains("1|1"));
            assertThat("the output's GTID set is the server's then, the GRANT's included", atPosition.metadata().gtidSet(),
                    is(gtidsAfterFirst));
            assertThat(atPosition.metadata().binlogFile() + ":" + atPosition.metadata().binlogPosition(), is(afterFirst));
            PitrCorrectnessTest.Output atGtid = PitrCorrectnessTest.output(storage, source, server, schema,
                    Map.of("target_gtid", secondGtid), table);
            assertThat(atGtid.tables().get("tick"), contains("1|2"));
            assertThat(atGtid.metadata().gtidSet(), is(afterSecond[2]));
            assertThat(atGtid.metadata().binlogFile() + ":" + atGtid.metadata().binlogPosition(), is(afterSecond[0] + ":" + afterSecond[1]));
            PitrCorrectnessTest.Output beforeGtid = PitrCorrectnessTest.output(storage, source, server, schema,
                    Map.of("target_gtid", secondGtid, "inclusive", false), table);
            assertThat(beforeGtid.tables().get("tick"), contains("1|1"));
            assertThat(beforeGtid.metadata().gtidSet(), is(gtidsAfterFirst));
            assertThat(PitrCorrectnessTest.pitr(storage, source, server, schema, Map.of("target_time", "latest"), table)
                    .get("tick"), contains("1|3"));
            given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                    .contentType(ContentType.JSON)
                    .body(Map.of("target_gtid", "0-1-999999999", "tables", schema + ".tick"))
                    .when().post("/servers/" + server.serverId() + "/pitr")
                    .then().statusCode(422).contentType("application/problem+json").body("detail", containsString("GTID"));
            given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                    .contentType(ContentType.JSON)
                    .body(Map.of("target_position", "../x:1", "target_time", "2026-01-01T00:00:00Z"))
                    .when().post("/servers/" + server.serverId() + "/pitr")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("target_time"));
            given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                    .contentType(ContentType.JSON)
                    .body(Map.of("target_position", "mysql-bin.000001"))
                    .when().post("/servers/" + server.serverId() + "/pitr")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("target_position"));
        } finally {
            source.execute("drop user if exists 'rw_gtid_probe'@'localhost'");
            source.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    /** The server's binlog file, position and GTID set now (MariaDB: gtid_binlog_pos; MySQL: gtid_executed). */
    private static String[] serverPlace(Sources source, Statement s) throws Exception {
        String file;
        String pos;
        try (var rs = s.executeQuery("show master status")) {
            rs.next();
            file = rs.getString(1);
            pos = Long.toString(rs.getLong(2));
        }
        try (var rs = s.executeQuery(source == Sources.MARIADB ? "select @@global.gtid_binlog_pos" : "select @@global.gtid_executed")) {
            rs.next();
            return new String[] {file, pos, rs.getString(1).replace("\n", "")};
        }
    }

    /** The GTID of the session's last transaction. */
    private static String lastGtid(Sources source, Statement s) throws Exception {
        if (source == Sources.MARIADB) {
            try (var rs = s.executeQuery("select @@last_gtid")) {
                rs.next();
                return rs.getString(1);
            }
        }
        String uuid;
        String executed;
        try (var rs = s.executeQuery("select @@server_uuid, @@global.gtid_executed")) {
            rs.next();
            uuid = rs.getString(1);
            executed = rs.getString(2).replace("\n", "");
        }
        for (String part : executed.split(",")) {
            String p = part.trim();
            if (p.startsWith(uuid + ":")) {
                String last = p.substring(p.lastIndexOf(':') + 1);
                return uuid + ":" + last.substring(last.indexOf('-') + 1);
            }
        }
        throw new IllegalStateException("no GTID of " + uuid + " in " + executed);
    }

    private static Map<String, List<String>> contents(Sources source, String schema, String other) throws Exception {
        Map<String, List<String>> contents = new LinkedHashMap<>();
        try (Connection c = source.root(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                contents.put(table, Restores.rows(c, table.equals("x") ? other : schema, table));
            }
        }
        return contents;
    }
}
