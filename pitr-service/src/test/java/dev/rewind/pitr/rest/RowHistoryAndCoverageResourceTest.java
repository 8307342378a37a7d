package dev.rewind.pitr.rest;

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
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** GET /servers/{id}/events and GET /servers/{id}/pitr/coverage over a real stream of MySQL 8. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowHistoryAndCoverageResourceTest {

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    ServerRegistryStub.Connection server;
    String schema;

    @BeforeEach
    void streamAServerWithHistory() throws Exception {
        if (server != null) {
            return;
        }
        server = Streams.streaming(ownership, supervisor, Sources.MYSQL8, "acme");
        schema = Sources.MYSQL8.createSchema();
        Sources.MYSQL8.execute("use " + schema,
                "create table customer (id int primary key, name varchar(50))",
                "create table line (order_id int, line_no int, qty int, primary key (order_id, line_no))",
                "insert into customer values (1, 'Ada'), (2, 'Grace')",
                "update customer set name = 'Ada L.' where id = 1",
                "insert into line values (10, 1, 5), (10, 2, 7)",
                "delete from customer where id = 2");
        await().atMost(Duration.ofSeconds(30)).until(() -> history("schema", schema).getList("$").size() == 6);
    }

    @AfterAll
    void dropIt() {
        if (server == null) {
            return;
        }
        Sources.MYSQL8.dropSchema(schema);
        ServerEvents.decommissioned(server);
    }

    private JsonPath history(Object... params) {
        var request = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN));
        for (int i = 0; i < params.length; i += 2) {
            request.queryParam((String) params[i], params[i + 1]);
        }
        return request.when().get("/servers/" + server.serverId() + "/events").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void rowHistoryIsNewestFirstWithBeforeAndAfterImages() {
        JsonPath events = history("schema", schema, "table", "customer");
        assertThat(events.getList("op"), contains("delete", "update", "insert", "insert"));
        assertThat(events.getString("[1].before.name"), is("Ada"));
        assertThat(events.getString("[1].after.name"), is("Ada L."));
        assertThat(events.getString("[0].before.name"), is("Grace"));
        assertThat(events.getString("[0].after"), nullValue());
        assertThat(events.getString("[0].binlog_file"), startsWith("mysql-bin."));
        assertThat(events.getString("[0].gtid"), matchesPattern("[0-9a-f-]{36}:\\d+"));
    }

    @Test
    void rowHistoryFiltersByPrimaryKeyOperationGtidAndTime() {
        assertThat(history("table", "customer", "pk", "1").getList("after.name"), contains("Ada L.", "Ada"));
        assertThat(history("schema", schema, "pk", "{\"order_id\": 10, \"line_no\": 2}").getList("after.qty"),
                contains(7));
        assertThat(history("schema", schema, "op", "delete").getList("pk.id"), contains(2));
        String gtid = history("schema", schema, "op", "update").getString("[0].gtid");
        assertThat(history("gtid", gtid).getList("op"), contains("update"));
        assertThat(history("schema", schema, "limit", "2").getList("$"), hasSize(2));
        assertThat(history("schema", schema, "until", "2000-01-01T00:00:00Z").getList("$"), empty());
        assertThat(history("schema", schema, "since", OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).toString())
                .getList("$"), hasSize(6));
    }

    @Test
    void badFiltersAreProblems() {
        String path = "/servers/" + server.serverId() + "/events";
        for (List<String> bad : List.of(List.of("limit", "0"), List.of("op", "upsert"), List.of("since", "yesterday"),
                List.of("pk", "{not json"),
                // without its table a search may not reach back over the server's whole history
                List.of("since", "2000-01-01T00:00:00Z"))) {
            given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam(bad.get(0), bad.get(1)).when().get(path)
                    .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(bad.get(0)));
        }
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("since", "2026-02-01T00:00:00Z")
                .queryParam("until", "2026-01-01T00:00:00Z").when().get(path)
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void coverageSpansTheIndexedEventsAndListsTheBaselines() {
        UUID backup = UUID.randomUUID();
        OffsetDateTime completed = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5).withNano(0);
        ServerEvents.backupCompleted(backup, server.serverId(), "acme", completed);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                .when().get("/servers/" + server.serverId() + "/pitr/coverage")
                .then().statusCode(200)
                .body("available", is(true))
                .body("total_events", greaterThanOrEqualTo(6))
                .body("oldest_event", notNullValue())
                .body("latest_event", notNullValue())
                .body("gaps", empty())
                .body("baselines.backup_id", contains(backup.toString()))
                .body("baselines[0].binlog_file", is("mysql-bin.000003")));
    }

    @Test
    void anotherTenantsOrAnUnknownServerIsNotFound() {
        for (String path : List.of("/events", "/pitr/coverage")) {
            given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/servers/" + server.serverId() + path)
                    .then().statusCode(404).contentType("application/problem+json");
            given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/servers/" + UUID.randomUUID() + path)
                    .then().statusCode(404).contentType("application/problem+json");
            given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get("/servers/not-a-uuid" + path)
                    .then().statusCode(404).contentType("application/problem+json");
        }
    }

    @Test
    void historyAndCoverageNeedATokenWithBackupCreate() {
        for (String path : List.of("/events", "/pitr/coverage")) {
            given().when().get("/servers/" + server.serverId() + path).then().statusCode(401);
            given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().get("/servers/" + server.serverId() + path)
                    .then().statusCode(403).contentType("application/problem+json");
        }
    }
}
