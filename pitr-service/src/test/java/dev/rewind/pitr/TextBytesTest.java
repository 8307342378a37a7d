package dev.rewind.pitr;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

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
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Text the JSON index cannot hold as a string (a NUL: PostgreSQL's jsonb refuses \u0000) is indexed as its bytes,
 * the stream goes on, and the PITR engine reads those bytes back as the same value.
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
            SqlValue body = ValueCodec.decodeImage(table, new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree("{\"id\": 1, \"body\": {\"base64\": \"YQBi\"}}")).get("body");
            assertThat(body, is(new SqlValue.Text(new byte[] {'a', 0, 'b'})));
        } finally {
            Sources.MARIADB.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    private static JsonPath events(ServerRegistryStub.Connection server, String schema) {
        return given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("schema", schema)
                .when().get("/servers/" + server.serverId() + "/events").then().statusCode(200).extract().jsonPath();
    }
}
