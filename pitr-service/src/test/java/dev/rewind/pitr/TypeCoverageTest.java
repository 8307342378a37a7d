package dev.rewind.pitr;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.pitr.support.Streams;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every column type, inserted, updated and deleted on each source: the indexed images equal what SELECT reads back. */
@QuarkusTest
class TypeCoverageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String TABLE = """
            create table types (
              id int primary key,
              t_tiny tinyint, t_tiny_u tinyint unsigned, t_small smallint, t_small_u smallint unsigned,
              t_medium mediumint, t_medium_u mediumint unsigned, t_int int, t_int_u int unsigned,
              t_big bigint, t_big_u bigint unsigned,
              t_dec decimal(20,6), t_float float, t_double double,
              t_bit bit(10), t_bit64 bit(64),
              t_date date, t_time time, t_time6 time(6), t_datetime datetime, t_datetime3 datetime(3),
              t_ts timestamp(6) null default null, t_year year,
              t_char char(10), t_varchar varchar(100), t_latin1 varchar(50) character set latin1, t_text text,
              t_binary binary(8), t_varbinary varbinary(20), t_blob blob,
              t_enum enum('small','medium','large'), t_set set('red','green','blue'),
              t_json json
            )""";

    private static final String EXTREMES = """
            insert into types values (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,
              -9223372036854775808, 18446744073709551615, '-12345678901234.123456', 3.14159, 2.718281828459045,
              b'1010101010', b'1111111111111111111111111111111111111111111111111111111111111111',
              '2026-04-10', '-838:59:59', '12:34:56.123456', '9999-12-31 23:59:59', '2026-04-10 14:30:00.123',
              '2026-04-10 14:30:00.654321', 2155,
              'abc', 'héllo wörld 你好 🚀', 'café crème', REPEAT('long text ', 500),
              'ab', x'00ff10', x'deadbeef00', 'medium', 'red,blue',
              '{"a": 1, "b": [true, null, "x"], "c": {"d": 1.5, "e": "é"}}')""";

    private static final String NULLS = "insert into types (id) values (2)";

    private static final String SMALL = """
            insert into types values (3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '0.000000', 0, -1.5e-300, b'0', b'1',
              '1000-01-01', '00:00:00', '-00:00:01.500000', '1000-01-01 00:00:00', '2000-02-29 23:59:59.999',
              '1970-01-01 00:00:01.000001', 1901, '', '', '', '', x'', x'', x'', 'small', '', '[]')""";

    /** column, the SELECT expression giving the canonical text, and how the image encodes it. */
    private record Col(String name, String select, String kind) {
    }

    private static final List<Col> COLUMNS = List.of(
            new Col("id", "id", "number"),
            new Col("t_tiny", "t_tiny", "number"), new Col("t_tiny_u", "t_tiny_u", "number"),
            new Col("t_small", "t_small", "number"), new Col("t_small_u", "t_small_u", "number"),
            new Col("t_medium", "t_medium", "number"), new Col("t_medium_u", "t_medium_u", "number"),
            new Col("t_int", "t_int", "number"), new Col("t_int_u", "t_int_u", "number"),
            new Col("t_big", "t_big", "number"), new Col("t_big_u", "t_big_u", "number"),
            new Col("t_dec", "cast(t_dec as char)", "string"),
            new Col("t_float", "t_float", "float"), new Col("t_double", "t_double", "double"),
            new Col("t_bit", "cast(t_bit as unsigned)", "number"), new Col("t_bit64", "cast(t_bit64 as unsigned)", "number"),
            new Col("t_date", "cast(t_date as char)", "string"), new Col("t_time", "cast(t_time as char)", "string"),
            new Col("t_time6", "cast(t_time6 as char)", "string"), new Col("t_datetime", "cast(t_datetime as char)", "string"),
            new Col("t_datetime3", "cast(t_datetime3 as char)", "string"), new Col("t_ts", "cast(t_ts as char)", "instant"),
            new Col("t_year", "t_year", "number"),
            new Col("t_char", "t_char", "string"), new Col("t_varchar", "t_varchar", "string"),
            new Col("t_latin1", "t_latin1", "string"), new Col("t_text", "t_text", "string"),
            new Col("t_binary", "t_binary", "base64"), new Col("t_varbinary", "t_varbinary", "base64"),
            new Col("t_blob", "t_blob", "base64"),
            new Col("t_enum", "t_enum", "string"), new Col("t_set", "t_set", "string"),
            new Col("t_json", "t_json", "json"));

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @ParameterizedTest
    @EnumSource(Sources.class)
    void indexedImagesOfEveryTypeEqualWhatTheSourceReturns(Sources source) throws Exception {
        ServerRegistryStub.Connection server = Streams.streaming(ownership, supervisor, source, "acme");
        String schema = source.createSchema();
        try {
            source.execute("use " + schema, TABLE, EXTREMES, NULLS, SMALL);
            Map<Integer, Map<String, Object>> inserted = new LinkedHashMap<>();
            for (int id = 1; id <= 3; id++) {
                inserted.put(id, select(source, schema, id));
            }
            source.execute("use " + schema,
                    "update types set t_int = 42, t_varchar = 'ünïcödé 2', t_json = '{\"k\": [1, 2]}', t_ts = '2030-01-02 03:04:05.000006',"
                            + " t_set = 'green', t_bit = b'1', t_dec = '0.5' where id = 1",
                    "delete from types where id = 3");
            Map<String, Object> updated = select(source, schema, 1);

            List<JsonNode> events = awaitEvents(server, schema, 5);
            // newest first: delete 3, update 1, insert 3, insert 2, insert 1
            assertThat(events.stream().map(e -> e.get("op").asText() + " " + e.get("pk").get("id").asInt()).toList(),
                    contains("delete 3", "update 1", "insert 3", "insert 2", "insert 1"));
            boolean mysqlJson = source == Sources.MYSQL8;
            assertImage(events.get(4).get("after"), inserted.get(1), mysqlJson);
            assertImage(events.get(3).get("after"), inserted.get(2), mysqlJson);
            assertImage(events.get(2).get("after"), inserted.get(3), mysqlJson);
            assertImage(events.get(1).get("before"), inserted.get(1), mysqlJson);
            assertImage(events.get(1).get("after"), updated, mysqlJson);
            assertImage(events.get(0).get("before"), inserted.get(3), mysqlJson);
            assertThat(events.get(0).get("after").isNull(), is(true));
            assertThat(events.get(4).get("before").isNull(), is(true));
            assertThat(events.get(4).get("pk"), is(JSON.readTree("{\"id\":1}")));
        } finally {
            source.dropSchema(schema);
            ServerEvents.decommissioned(server);
        }
    }

    private static List<JsonNode> awaitEvents(ServerRegistryStub.Connection server, String schema, int count) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> events(server, schema).size() >= count);
        return events(server, schema);
    }

    static List<JsonNode> events(ServerRegistryStub.Connection server, String schema) throws Exception {
        String body = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).queryParam("schema", schema).queryParam("table", "types")
                .queryParam("limit", "100").when().get("/servers/" + server.serverId() + "/events")
                .then().statusCode(200).extract().asString();
        List<JsonNode> result = new java.util.ArrayList<>();
        JSON.readTree(body).forEach(result::add);
        return result;
    }

    private static Map<String, Object> select(Sources source, String schema, int id) throws Exception {
        StringBuilder sql = new StringBuilder("select ");
        for (int i = 0; i < COLUMNS.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(COLUMNS.get(i).select()).append(" as ").append(COLUMNS.get(i).name());
        }
        sql.append(" from ").append(schema).append(".types where id = ").append(id);
        try (Connection c = source.root(); Statement s = c.createStatement()) {
            s.execute("set time_zone = '+00:00'");
            try (ResultSet rs = s.executeQuery(sql.toString())) {
                rs.next();
                Map<String, Object> row = new LinkedHashMap<>();
                for (Col col : COLUMNS) {
                    Object value = switch (col.kind()) {
                        case "base64" -> rs.getBytes(col.name());
                        case "float" -> rs.getObject(col.name()) == null ? null : rs.getFloat(col.name());
                        case "double" -> rs.getObject(col.name()) == null ? null : rs.getDouble(col.name());
                        default -> rs.getString(col.name());
                    };
                    row.put(col.name(), value);
                }
                return row;
            }
        }
    }

    private static void assertImage(JsonNode image, Map<String, Object> expected, boolean mysqlJson) throws Exception {
        assertThat(image.size(), is(COLUMNS.size()));
        for (Col col : COLUMNS) {
            JsonNode actual = image.get(col.name());
            Object want = expected.get(col.name());
            String what = col.name() + " in " + image;
            if (want == null) {
                assertThat(what, actual.isNull(), is(true));
                continue;
            }
            switch (col.kind()) {
                case "number" -> {
                    assertThat(what, actual.isNumber(), is(true));
                    assertThat(what, new BigDecimal(actual.asText()), comparesEqualTo(new BigDecimal((String) want)));
                }
                case "float" -> assertThat(what, actual.floatValue(), is(want));
                case "double" -> assertThat(what, actual.doubleValue(), is(want));
                case "string" -> assertThat(what, actual.asText(), is(want));
                case "instant" -> assertThat(what, actual.asText(), is(((String) want).replace(' ', 'T') + "Z"));
                case "base64" -> assertThat(what, actual.asText(), is(Base64.getEncoder().encodeToString((byte[]) want)));
                case "json" -> {
                    if (mysqlJson) {
                        assertThat(what, actual, is(JSON.readTree((String) want)));
                    } else {
                        assertThat(what, actual.asText(), is(want)); // MariaDB JSON is text
                    }
                }
                default -> throw new IllegalStateException(col.kind());
            }
        }
    }
}
