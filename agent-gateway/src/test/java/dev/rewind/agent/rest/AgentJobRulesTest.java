package dev.rewind.agent.rest;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.testing.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentJobRulesTest {

    @TestHTTPResource("/")
    URL url;

    private static Map<String, Object> log(int i) {
        return Map.of("level", "info", "message", "line " + i, "timestamp", "2026-04-09T02:00:01.000Z");
    }

    @Test
    void aLogBatchHoldsOneToAHundredEntries() {
        Agents.Registered agent = Agents.withDatabase("logs");
        String job = Agents.startJob(agent, Agents.databaseId(agent, "logs"), Agents.target(Tokens.user(Tokens.ACME_ADMIN)));

        agent.call().body(Map.of("logs", IntStream.range(0, 100).mapToObj(AgentJobRulesTest::log).toList()))
                .when().post("/api/v1/agent/jobs/" + job + "/logs").then().statusCode(200).body("inserted", is(100));
        agent.call().body(Map.of("logs", IntStream.range(0, 101).mapToObj(AgentJobRulesTest::log).toList()))
                .when().post("/api/v1/agent/jobs/" + job + "/logs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("logs")).body("detail", containsString("100"));
        agent.call().body(Map.of("logs", List.of()))
                .when().post("/api/v1/agent/jobs/" + job + "/logs").then().statusCode(400).body("errors.field", hasItem("logs"));
        agent.call().body(Map.of("logs", List.of(Map.of("level", "loud", "message", "x", "timestamp", "2026-04-09T02:00:01Z"))))
                .when().post("/api/v1/agent/jobs/" + job + "/logs").then().statusCode(400);
    }

    @Test
    void aJobKeepsAtMostTenThousandLogLines() throws Throwable {
        Agents.Registered agent = Agents.withDatabase("chatty");
        String job = Agents.startJob(agent, Agents.databaseId(agent, "chatty"), Agents.target(Tokens.user(Tokens.ACME_ADMIN)));
        // 9,950 lines already there (written directly: 100 calls would only be slower)
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache.withTransaction(
                () -> io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(session -> session.createNativeQuery(
                        "insert into job_log (job_id, level, message, logged_at, received_at)"
                                + " select cast(?1 as uuid), 'info', 'old line ' || g, now(), now() from generate_series(1, 9950) g")
                        .setParameter(1, job).executeUpdate())));
        agent.call().body(Map.of("logs", IntStream.range(0, 50).mapToObj(AgentJobRulesTest::log).toList()))
                .when().post("/api/v1/agent/jobs/" + job + "/logs").then().statusCode(200).body("inserted", is(50));
        agent.call().body(Map.of("logs", List.of(log(1))))
                .when().post("/api/v1/agent/jobs/" + job + "/logs")
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString("at most 10000"));
    }

    @Test
    void anUnknownStageIs400AndABackwardMoveIs409() {
        Agents.Registered agent = Agents.withDatabase("stages");
        String job = Agents.startJob(agent, Agents.databaseId(agent, "stages"), Agents.target(Tokens.user(Tokens.ACME_ADMIN)));

        Agents.status(agent, job, Map.of("status", "teleporting")).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("status")).body("detail", containsString("dumping, compressing"));
        Agents.status(agent, job, Map.of("status", "uploading")).then().statusCode(200);
        Agents.status(agent, job, Map.of("status", "compressing")).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("uploading"));
        Agents.status(agent, job, Map.of("status", "completed", "compressedSize", 10)).then().statusCode(200);
        Agents.status(agent, job, Map.of("status", "dumping")).then().statusCode(409);
        Agents.status(agent, job, Map.of("status", "failed")).then().statusCode(409);
        Agents.status(agent, job, Map.of("status", "completed")).then().statusCode(200); // a retried report changes nothing
        Agents.status(agent, job, Map.of("status", "uploading", "dumpSize", -1)).then().statusCode(400)
                .body("errors.field", hasItem("dumpSize"));
    }

    @Test
    void aFailedJobKeepsItsErrorAndCannotComplete() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        Agents.Registered agent = Agents.withDatabase("failing");
        String job = Agents.startJob(agent, Agents.databaseId(agent, "failing"), Agents.target(admin));
        Agents.status(agent, job, Map.of("status", "failed", "errorMessage", "mysqldump: access denied", "errorCode", "DUMP_FAIL"))
                .then().statusCode(200);
        Agents.status(agent, job, Map.of("status", "completed")).then().statusCode(409);
        io.restassured.RestAssured.given().auth().oauth2(admin).when().get("/api/v1/admin/jobs/" + job)
                .then().statusCode(200).body("job.status", is("failed")).body("job.errorCode", is("DUMP_FAIL"))
                .body("job.completedAt", notNullValue());
        agent.call().body(Map.of("status", "passed")).when().post("/api/v1/agent/jobs/" + job + "/verification")
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void anotherAgentsJobIsNotFound() {
        String admin = Tokens.user(Tokens.ACME_ADMIN);
        Agents.Registered owner = Agents.withDatabase("mine");
        String job = Agents.startJob(owner, Agents.databaseId(owner, "mine"), Agents.target(admin));
        Agents.Registered other = Agents.registered(admin);

        Agents.status(other, job, Map.of("status", "compressing")).then().statusCode(404).contentType("application/problem+json");
        other.call().body(Map.of("logs", List.of(log(1)))).when().post("/api/v1/agent/jobs/" + job + "/logs").then().statusCode(404);
        other.call().body(Map.of("status", "passed")).when().post("/api/v1/agent/jobs/" + job + "/verification").then().statusCode(404);
        Agents.status(other, UUID.randomUUID().toString(), Map.of("status", "compressing")).then().statusCode(404);
        Agents.status(other, "not-a-job", Map.of("status", "compressing")).then().statusCode(404);
        // nor may it start a job of another agent's database
        other.call().body(Map.of("databaseId", Agents.databaseId(owner, "mine"), "targetId", Agents.target(admin)))
                .when().post("/api/v1/agent/jobs/start").then().statusCode(422).contentType("application/problem+json");
        Agents.status(owner, job, Map.of("status", "compressing")).then().statusCode(200);
    }

    @Test
    void malformedJsonAndAHugeBodyAreClear4xx() throws Exception {
        Agents.Registered agent = Agents.registered(Tokens.user(Tokens.ACME_ADMIN));
        agent.call().body("{\"status\": ").when().post("/api/v1/agent/heartbeat")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("not valid JSON"));
        agent.call().body("{\"status\": \"online\", \"discoveredDatabases\": \"many\"}").when().post("/api/v1/agent/heartbeat")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("discoveredDatabases"));
        agent.call().body("{\"databaseId\": \"nope\", \"targetId\": \"" + UUID.randomUUID() + "\"}").when().post("/api/v1/agent/jobs/start")
                .then().statusCode(400).contentType("application/problem+json");
        agent.call().body(Map.of()).when().post("/api/v1/agent/heartbeat").then().statusCode(400).body("errors.field", hasItem("status"));

        String[] tooLarge = announce("/api/v1/agent/heartbeat", agent.apiKey(), 5L * 1024 * 1024);
        assertTrue(tooLarge[0].startsWith("HTTP/1.1 413"), tooLarge[0]);
        assertTrue(tooLarge[1].toLowerCase().contains("content-type: application/problem+json"), tooLarge[1]);
        assertTrue(tooLarge[1].contains("\"status\":413") && tooLarge[1].contains("limit"), tooLarge[1]);
        assertTrue(announce("/api/v1/agent/register", null, 5L * 1024 * 1024)[0].startsWith("HTTP/1.1 413"));
    }

    /**
     * Announces a body of {@code length} bytes with Expect: 100-continue, as curl does for big uploads, and reads the
     * answer: a refused body is never sent. Answers the status line and the rest of the response.
     */
    private String[] announce(String path, String apiKey, long length) throws Exception {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(30_000);
            String request = "POST " + path + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nContent-Type: application/json\r\n"
                    + (apiKey == null ? "" : "Authorization: Bearer " + apiKey + "\r\n")
                    + "Content-Length: " + length + "\r\nExpect: 100-continue\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            Matcher declared = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            String body = declared.find() ? new String(in.readNBytes(Integer.parseInt(declared.group(1))), StandardCharsets.UTF_8) : "";
            int lineEnd = head.indexOf("\r\n");
            return new String[] {head.substring(0, lineEnd), head.substring(lineEnd) + body};
        }
    }

    @Test
    void aJobStartsOnlyForTheAgentsDatabaseAndTheTenantsTarget() {
        Agents.Registered agent = Agents.withDatabase("refs");
        String db = Agents.databaseId(agent, "refs");
        agent.call().body(Map.of("databaseId", UUID.randomUUID().toString(), "targetId", Agents.target(Tokens.user(Tokens.ACME_ADMIN))))
                .when().post("/api/v1/agent/jobs/start").then().statusCode(422).body("detail", containsString("database"));
        agent.call().body(Map.of("databaseId", db, "targetId", Agents.target(Tokens.user(Tokens.GLOBEX_ADMIN))))
                .when().post("/api/v1/agent/jobs/start").then().statusCode(422).body("detail", containsString("target"));
        agent.call().body(Map.of("databaseId", db, "targetId", Agents.target(Tokens.user(Tokens.ACME_ADMIN)),
                        "scheduleId", UUID.randomUUID().toString()))
                .when().post("/api/v1/agent/jobs/start").then().statusCode(422).body("detail", containsString("schedule"));
    }
}
