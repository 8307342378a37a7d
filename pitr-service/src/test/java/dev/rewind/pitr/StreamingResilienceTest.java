package dev.rewind.pitr;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.commons.messaging.CloudEvent;
import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import dev.rewind.testing.EventContracts;
import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Restarts lose nothing and index nothing twice; a binlog purged before it was read is a recorded gap; a stream that
 * dies is visible (readiness, the server's status, an anomaly) until it is restarted by itself.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingResilienceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRANSACTIONS = 400;
    private static final int ROWS_PER_TRANSACTION = 5;

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Inject
    AgroalDataSource index;

    @Test
    @Order(1)
    void restartsUnderLoadResumeFromTheCheckpointWithNothingLostAndNothingTwice() throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, Sources.MYSQL8, "acme");
        String schema = Sources.MYSQL8.createSchema();
        try {
            Sources.MYSQL8.execute("use " + schema, "create table t (id int primary key, v varchar(40), n bigint)");
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> load(schema));
            // restart the stream three times while the source keeps writing
            for (int i = 0; i < 3; i++) {
                await().atMost(Duration.ofSeconds(30)).until(() -> indexed(server, schema) > 0 && supervisor.streaming(server.serverId()));
                supervisor.restart(server.serverId());
            }
            load.get();
            Sources.MYSQL8.execute("use " + schema, "update t set n = n + 1 where id % 10 = 0", "delete from t where id % 7 = 0");
            int rows = TRANSACTIONS * ROWS_PER_TRANSACTION;
            int updates = rows / 10;
            int deletes = rows / 7;
            await().atMost(Duration.ofSeconds(60)).until(() -> indexed(server, schema) >= rows + updates + deletes);

            try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "select op, count(*), count(distinct pk) from row_event where server_id = ? and schema_name = ? group by op order by op")) {
                ps.setObject(1, server.serverId());
                ps.setString(2, schema);
                List<String> counts = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.add(rs.getString(1) + " " + rs.getInt(2) + " " + rs.getInt(3));
                    }
                }
                assertThat(counts, contains("delete " + deletes + " " + deletes, "insert " + rows + " " + rows,
                        "update " + updates + " " + updates));
            }
            // the content of every insert is the row the source wrote
            try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "select after_image->>'id', after_image->>'v', after_image->>'n' from row_event where server_id = ? and schema_name = ? and op = 'insert'")) {
                ps.setObject(1, server.serverId());
                ps.setString(2, schema);
                Set<Integer> ids = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int id = rs.getInt(1);
                        assertThat(rs.getString(2), is("row " + id));
                        assertThat(rs.getLong(3), is((long) id * 1000));
                        ids.add(id);
                    }
                }
                assertThat(ids.size(), is(rows));
            }
        } finally {
            Sources.MYSQL8.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    @Test
    @Order(2)
    void aBinlogPurgedBeforeItWasReadIsRecordedAsAGapWithAnAnomaly() throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, Sources.MARIADB, "acme");
        String schema = Sources.MARIADB.createSchema();
        try {
            Sources.MARIADB.execute("use " + schema, "create table t (id int primary key)", "insert into t values (1)");
            await().atMost(Duration.ofSeconds(30)).until(() -> indexed(server, schema) == 1);
            supervisor.stop(server.serverId());

            // while nothing reads it, the binlog holding the next events rotates away and is purged
            Sources.MARIADB.execute("use " + schema, "insert into t values (2)", "flush binary logs");
            String current;
            try (Connection c = Sources.MARIADB.root(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show master status")) {
                rs.next();
                current = rs.getString(1);
            }
            // the source keeps a file its (just closed) dump thread still holds: purge until the file is gone
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Sources.MARIADB.execute("purge binary logs to '" + current + "'");
                return oldestBinlog(Sources.MARIADB).equals(current);
            });

            ServerEvents.registered(server); // a redelivery of the registration starts the stream again on the owner
            await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.streaming(server.serverId()));
            Sources.MARIADB.execute("use " + schema, "insert into t values (3)");
            await().atMost(Duration.ofSeconds(30)).until(() -> indexed(server, schema) == 2);

            // the stream's status row is written by the stream itself, a moment after it is live
            JsonNode coverage = await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(given()
                            .auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                            .when().get("/servers/" + server.serverId() + "/pitr/coverage")
                            .then().statusCode(200).extract().asString()),
                    c -> c.get("available").asBoolean());
            assertThat(coverage.get("total_events").asLong(), is(2L));
            assertThat(coverage.get("gaps").size(), is(1));
            JsonNode gap = coverage.get("gaps").get(0);
            assertThat(gap.get("kind").asText(), is("binlog_purged"));
            assertThat(gap.get("to_file").asText(), is(current));

            await().atMost(Duration.ofSeconds(30)).until(() -> anomalies(server).size() == 1);
            JsonNode anomaly = anomalies(server).get(0);
            assertThat(anomaly.get("kind").asText(), is("binlog_gap"));
            assertThat(anomaly.get("tenant").asText(), is("acme"));
            assertThat(anomaly.get("details").get("gap_id").asText(), is(gap.get("id").asText()));
            assertThat(anomaly.get("details").get("gap_start").asText(), not(emptyString()));
        } finally {
            Sources.MARIADB.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Sources.class)
    @Order(3)
    void aStreamThatDiesIsShownInReadinessOnTheServerAndAsAnAnomalyAndIsRestarted(Sources source) throws Exception {
        // a source account of this test's own, so that locking it stops only this server's stream
        String user = "rw_dead_" + UUID.randomUUID().toString().substring(0, 6);
        source.execute("create user '" + user + "'@'%' identified by 'Dead-stream-1'",
                "grant select, reload, process, show databases, replication slave, replication client"
                        + (source == Sources.MARIADB ? ", binlog monitor" : "") + " on *.* to '" + user + "'@'%'");
        await().atMost(Duration.ofSeconds(60)).until(() -> !ownership.assignedPartitions().isEmpty());
        UUID id = UUID.randomUUID();
        ServerRegistryStub.Connection server = new ServerRegistryStub.Connection(id, "acme", "db-dead-" + id.toString().substring(0, 6),
                source.host(), source.port(), user, "Dead-stream-1", "direct", null);
        try {
            ServerEvents.registered(server);
            await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.streaming(id));
            given().when().get("/q/health/ready").then().statusCode(200);

            // the source goes away for this server: its binlog connection is cut and it cannot come back
            source.execute("alter user '" + user + "'@'%' account lock");
            killConnectionsOf(source, user);

            String health = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> given().when().get("/q/health/ready").then().extract(), r -> r.statusCode() == 503).asString();
            assertThat(health, containsString("binlog-streams"));
            assertThat(health, containsString(server.name()));
            assertThat(health, containsString(id.toString()));

            await().atMost(Duration.ofSeconds(30)).until(() -> anomalies(server).stream()
                    .anyMatch(a -> a.get("kind").asText().equals("stream_failure")));
            JsonNode anomaly = anomalies(server).stream().filter(a -> a.get("kind").asText().equals("stream_failure")).findFirst()
                    .orElseThrow();
            assertThat(anomaly.get("severity").asText(), is("critical"));
            // what goes out keeps the documented contract (deploy/events), the onboarding.step reports too
            EventContracts.assertValid(KafkaTopics.read("rewind.anomalies", r -> id.toString().equals(r.key()), Duration.ofMillis(300)));
            EventContracts.assertValid(KafkaTopics.read("rewind.onboarding", r -> id.toString().equals(r.key()), Duration.ofMillis(300)));
            assertThat(anomaly.get("tenant").asText(), is("acme"));
            assertThat("one anomaly per outage, not one per retry", anomalies(server).stream()
                    .filter(a -> a.get("kind").asText().equals("stream_failure")).count(), is(1L));
            // server-registry is told: the streaming step failed in a new attempt, so the server shows error
            JsonNode failed = await().atMost(Duration.ofSeconds(30)).until(() -> lastStreamingStep(server), s -> s != null
                    && s.get("status").asText().equals("failed"));
            assertThat(failed.get("attempt").asInt(), is(2));
            assertThat(failed.get("error").asText(), not(emptyString()));

            // the source lets it in again: the stream is restarted by itself, readiness is up, the server active
            source.execute("alter user '" + user + "'@'%' account unlock");
            await().atMost(Duration.ofSeconds(90)).until(() -> supervisor.streaming(id));
            await().atMost(Duration.ofSeconds(30)).until(() -> given().when().get("/q/health/ready").statusCode() == 200);
            JsonNode recovered = await().atMost(Duration.ofSeconds(30)).until(() -> lastStreamingStep(server), s -> s != null
                    && s.get("status").asText().equals("completed") && s.get("attempt").asInt() == 2);
            assertThat(recovered.get("error").isNull() || recovered.get("error").asText().isEmpty(), is(true));
            assertThat(given().when().get("/q/metrics").asString(),
                    containsString("rewind_pitr_stream_failures_total{server=\"" + id + "\"} 1.0"));
        } finally {
            ServerEvents.decommissioned(server);
            source.execute("drop user if exists '" + user + "'@'%'");
        }
    }

    private static void killConnectionsOf(Sources source, String user) throws Exception {
        try (Connection c = source.root(); Statement s = c.createStatement()) {
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select id from information_schema.processlist where user = '" + user + "'")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            assertThat("the stream's connections to the source", ids, not(empty()));
            for (long connection : ids) {
                try {
                    s.execute("kill " + connection);
                } catch (java.sql.SQLException e) {
                    // it ended meanwhile
                }
            }
        }
    }

    /** The newest onboarding.step of the streaming step this service sent for the server; null before any. */
    private static JsonNode lastStreamingStep(ServerRegistryStub.Connection server) throws Exception {
        JsonNode last = null;
        for (var r : KafkaTopics.read("rewind.onboarding", r -> server.serverId().toString().equals(r.key()), Duration.ofMillis(300))) {
            JsonNode step = JSON.readTree(r.value());
            if (step.get("step").asText().equals("streaming")) {
                last = step;
            }
        }
        return last;
    }

    private static String oldestBinlog(Sources source) throws Exception {
        try (Connection c = source.root(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show binary logs")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<JsonNode> anomalies(ServerRegistryStub.Connection server) throws Exception {
        List<JsonNode> result = new ArrayList<>();
        for (var r : KafkaTopics.read("rewind.anomalies", r -> server.serverId().toString().equals(r.key()), Duration.ofMillis(300))) {
            assertThat(CloudEvent.from(r).type(), is("dev.rewind.anomaly.detected"));
            result.add(JSON.readTree(r.value()));
        }
        return result;
    }

    private long indexed(ServerRegistryStub.Connection server, String schema) throws Exception {
        try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from row_event where server_id = ? and schema_name = ?")) {
            ps.setObject(1, server.serverId());
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void load(String schema) {
        try (Connection c = Sources.MYSQL8.root(); Statement s = c.createStatement()) {
            s.execute("use " + schema);
            c.setAutoCommit(false);
            int id = 1;
            for (int t = 0; t < TRANSACTIONS; t++) {
                for (int r = 0; r < ROWS_PER_TRANSACTION; r++, id++) {
                    s.execute("insert into t values (" + id + ", 'row " + id + "', " + (long) id * 1000 + ")");
                }
                c.commit();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
