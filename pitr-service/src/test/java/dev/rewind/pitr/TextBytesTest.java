package dev.rewind.pitr;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.reconstruct.SqlValue;
import dev.rewind.pitr.reconstruct.TableSchema;
import dev.rewind.pitr.reconstruct.ValueCodec;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Text the JSON index cannot hold as a string (a NUL: PostgreSQL's jsonb refuses \u0000) is indexed as its bytes,
 * the stream goes on, and the PITR engine reads those bytes back as the same value. A MySQL 8 JSON document holding
 * a NUL, or being a string itself, is indexed as its JSON text, and read back as the same document.
 */
@QuarkusTest
class TextBytesTest {

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Test
    void aNulInTextIsIndexedAsBytesAndTheStreamGoesOn() throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, Sources.MARIADB, "acme");
        String schema = Sources.MARIADB.createSchema();
        try {
            Sources.MARIADB.execute("use " + schema,
                    "create table note (id int primary key, body varchar(20) character set utf8mb4)",
                    "insert into note values (1, x'610062')", // 'a', NUL, 'b'
                    "insert into note values (2, 'plain')");
            await().atMost(Duration.ofSeconds(30)).until(() -> events(server, schema).getList("$").size() >= 2);
            JsonPath events = events(server, schema);
            assertThat(events.getString("[0].after.body"), is("plain"));
            Map<String, Object> bytes = events.getMap("[1].after.body");
            assertThat(bytes, is(Map.of("base64", "YQBi")));

            TableSchema table = TableSchema.parse("CREATE TABLE `note` (`id` int NOT NULL, `body` varchar(20) CHARACTER SET utf8mb4, "
                    + "PRIMARY KEY (`id`))");
            SqlValue body = ValueCodec.decodeImage(table, new ObjectMapper()
                    .readTree("{\"id\": 1, \"body\": {\"base64\": \"YQBi\"}}")).get("body");
            assertThat(body, is(new SqlValue.Text(new byte[] {'a', 0, 'b'})));
        } finally {
            Sources.MARIADB.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    @Test
    void aMysqlJsonDocumentThatIsAStringOrHoldsANulIsIndexedAsItsTextAndReadBackTheSame() throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, Sources.MYSQL8, "acme");
        String schema = Sources.MYSQL8.createSchema();
        try {
            Sources.MYSQL8.execute("use " + schema,
                    "create table doc (id int primary key, body json)",
                    "insert into doc values (1, '{\"a\": \"x\\\\u0000y\"}')", // a NUL inside a string member
                    "insert into doc values (2, '\"hello\"')", // a document that is a string
                    "insert into doc values (3, '{\"k\": [1, 2]}')");
            await().atMost(Duration.ofSeconds(30)).until(() -> events(server, schema).getList("$").size() >= 3);
            JsonPath events = events(server, schema);
            assertThat("an object stays nested JSON", events.getMap("[0].after.body"), is(Map.of("k", java.util.List.of(1, 2))));
            assertThat(events.getString("[1].after.body"), is("\"hello\""));
            assertThat(events.getString("[2].after.body"), is("{\"a\":\"x\\u0000y\"}"));

            // the engine reads each back as the document the source holds
            TableSchema table = TableSchema.parse("CREATE TABLE `doc` (`id` int NOT NULL, `body` json, PRIMARY KEY (`id`))");
            ObjectMapper json = new ObjectMapper();
            JsonNode raw = json.readTree(given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("schema", schema)
                    .when().get("/servers/" + server.serverId() + "/events").then().statusCode(200).extract().asString());
            try (Connection source = Sources.MYSQL8.root(); Statement st = source.createStatement();
                    ResultSet rows = st.executeQuery("select id, body from " + schema + ".doc order by id desc")) {
                for (int i = 0; rows.next(); i++) {
                    assertThat(raw.get(i).get("after").get("id").asInt(), is(rows.getInt(1)));
                    SqlValue read = ValueCodec.decodeImage(table, raw.get(i).get("after")).get("body");
                    assertThat(read, is(new SqlValue.Json(rows.getString(2))));
                }
            }
        } finally {
            Sources.MYSQL8.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    private static JsonPath events(ServerRegistryStub.Connection server, String schema) {
        return given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("schema", schema)
                .when().get("/servers/" + server.serverId() + "/events").then().statusCode(200).extract().jsonPath();
    }
}
