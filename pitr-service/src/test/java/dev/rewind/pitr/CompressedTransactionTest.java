package dev.rewind.pitr;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** MySQL 8 with binlog_transaction_compression: the rows inside a compressed transaction are indexed like any others. */
@QuarkusTest
class CompressedTransactionTest {

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Test
    void rowsOfACompressedTransactionAreIndexedEachOnce() throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, Sources.MYSQL8, "acme");
        String schema = Sources.MYSQL8.createSchema();
        try (Connection c = Sources.MYSQL8.root(); Statement s = c.createStatement()) {
            s.execute("set session binlog_transaction_compression = ON");
            s.execute("create table " + schema + ".item (id int primary key, name varchar(40), note text)");
            c.setAutoCommit(false);
            s.execute("insert into " + schema + ".item values (1, 'bolt', repeat('compressible ', 50)), (2, 'nut', null), (3, 'washer', 'x')");
            s.execute("update " + schema + ".item set name = 'Bolt' where id = 1");
            s.execute("delete from " + schema + ".item where id = 2");
            c.commit();
            c.setAutoCommit(true);
            boolean compressed = false;
            try (ResultSet rs = s.executeQuery("show binlog events in '" + currentBinlog(s) + "'")) {
                while (rs.next()) {
                    compressed |= "Transaction_payload".equalsIgnoreCase(rs.getString("Event_type"));
                }
            }
            assertThat("the source wrote a compressed transaction", compressed, is(true));

            await().atMost(Duration.ofSeconds(30)).until(() -> events(server, schema).getList("$").size() >= 5);
            JsonPath events = events(server, schema);
            assertThat(events.getList("op"), contains("delete", "update", "insert", "insert", "insert"));
            assertThat(events.getString("[1].before.name"), is("bolt"));
            assertThat(events.getString("[1].after.name"), is("Bolt"));
            assertThat(events.getString("[4].after.note"), startsWith("compressible compressible"));
            assertThat("one transaction, one GTID", events.getList("gtid").stream().distinct().count(), is(1L));
            assertThat("row indexes are distinct under the payload's one position",
                    events.getList("row_index").stream().distinct().count(), is(5L));
            assertThat(events.getList("binlog_position").stream().distinct().count(), is(1L));
        } finally {
            Sources.MYSQL8.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    private static String currentBinlog(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("show master status")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static JsonPath events(ServerRegistryStub.Connection server, String schema) {
        return given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("schema", schema).queryParam("limit", 100)
                .when().get("/servers/" + server.serverId() + "/events").then().statusCode(200).extract().jsonPath();
    }
}
