package dev.rewind.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every operation of every service, as its own OpenAPI document lists it, attacked on the packaged services:
 * without a token, with a forged or unsigned token, with an agent's key on user APIs and a user's token on the
 * agent API, with a reader's token on writes; then a corpus of bad input (malformed JSON, wrong types, huge strings
 * and arrays, deep nesting, NUL bytes, path traversal in ids, absurd query values) with an admin's token; and with
 * another tenant's ids, which must look absent (never 403 or 409) and whose objects must not change.
 * Whatever the request: never a 5xx, never a dropped connection, every 4xx a problem document; every service is
 * still live and answering afterwards.
 */
class SecurityIT {

    record Operation(String service, String base, String method, String path, List<Map<String, Object>> parameters,
            Map<String, Object> bodySchema) {

        boolean agentApi() {
            return path.startsWith("/api/v1/agent/");
        }

        boolean publicApi() {
            return path.equals("/api/v1/agent/register");
        }

        boolean write() {
            return !method.equals("get");
        }

        /** run-registry's reference answers its errors as {@code {"error": "..."}}. */
        boolean referenceErrors() {
            return path.startsWith("/v1/");
        }

        @Override
        public String toString() {
            return service + " " + method.toUpperCase() + " " + path;
        }
    }

    static final Map<String, String> SERVICES = Map.of(
            "server-registry", "REWIND_SERVER_REGISTRY_URL",
            "backup-service", "REWIND_BACKUP_SERVICE_URL",
            "pitr-service", "REWIND_PITR_SERVICE_URL",
            "agent-gateway", "REWIND_AGENT_GATEWAY_URL",
            "run-registry", "REWIND_RUN_REGISTRY_URL");

    static final List<Operation> OPERATIONS = new ArrayList<>();
    static String admin;
    static String reader;
    static String agentKey;

    @BeforeAll
    static void readTheDocuments() {
        admin = Tokens.user(Tokens.ACME_ADMIN);
        reader = Tokens.user(Tokens.ACME_READER);
        for (Map.Entry<String, String> service : SERVICES.entrySet()) {
            String base = LocalStack.env(service.getValue());
            JsonPath doc = given().baseUri(base).accept("application/json").when().get("/q/openapi")
                    .then().statusCode(200).extract().jsonPath();
            Map<String, Map<String, Object>> schemas = doc.getMap("components.schemas");
            Map<String, Map<String, Object>> paths = doc.getMap("paths");
            paths.forEach((path, item) -> item.forEach((method, op) -> {
                if (!List.of("get", "post", "put", "patch", "delete").contains(method)) {
                    return;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> operation = (Map<String, Object>) op;
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> parameters = (List<Map<String, Object>>) operation.getOrDefault("parameters", List.of());
                OPERATIONS.add(new Operation(service.getKey(), base, method, path, parameters,
                        bodySchema(operation, schemas == null ? Map.of() : schemas)));
            }));
        }
        org.junit.jupiter.api.Assertions.assertTrue(OPERATIONS.size() > 40, "the documents list the services' operations: " + OPERATIONS);
        String registration = given().baseUri(LocalStack.env("REWIND_AGENT_GATEWAY_URL")).auth().oauth2(admin)
                .contentType(ContentType.JSON).body("{}").when().post("/api/v1/admin/registration-tokens")
                .then().statusCode(201).extract().path("token");
        agentKey = given().baseUri(LocalStack.env("REWIND_AGENT_GATEWAY_URL")).contentType(ContentType.JSON)
                .body(Map.of("registrationToken", registration, "hostname", "security-" + UUID.randomUUID().toString().substring(0, 8),
                        "os", "linux", "arch", "amd64", "agentVersion", "1.0.0"))
                .when().post("/api/v1/agent/register").then().statusCode(201).extract().path("apiKey");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> bodySchema(Map<String, Object> operation, Map<String, Map<String, Object>> schemas) {
        Map<String, Object> body = (Map<String, Object>) operation.get("requestBody");
        if (body == null) {
            return null;
        }
        Map<String, Object> content = (Map<String, Object>) body.getOrDefault("content", Map.of());
        Map<String, Object> json = (Map<String, Object>) content.get("application/json");
        if (json == null) {
            return Map.of();
        }
        Map<String, Object> schema = (Map<String, Object>) json.getOrDefault("schema", Map.of());
        Object ref = schema.get("$ref");
        if (ref instanceof String r && r.startsWith("#/components/schemas/")) {
            schema = schemas.getOrDefault(r.substring("#/components/schemas/".length()), Map.of());
        }
        return schema;
    }

    /** The path with every parameter replaced by {@code value} (already encoded). */
    static String path(Operation op, String value) {
        return op.path().replaceAll("\\{[^}]+}", value);
    }

    static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Sends the request; a dropped connection or a reset fails the test naming the operation. */
    static Response send(Operation op, RequestSpecification spec, String path, String what) {
        try {
            return spec.baseUri(op.base()).urlEncodingEnabled(false).when().request(op.method().toUpperCase(), path);
        } catch (RuntimeException e) {
            fail(op + " " + what + " (" + path + "): the connection failed: " + e);
            return null;
        }
    }

    /** What went wrong, all of it: one run shows every operation that fails. */
    static final List<String> PROBLEMS = new ArrayList<>();

    static void assertTrue(boolean condition, String problem) {
        if (!condition && PROBLEMS.size() < 200) {
            PROBLEMS.add(problem);
        }
    }

    @org.junit.jupiter.api.AfterEach
    void reportEveryProblem() {
        List<String> found = List.copyOf(PROBLEMS);
        PROBLEMS.clear();
        if (!found.isEmpty()) {
            fail(found.size() + " problems:\n" + String.join("\n", found));
        }
    }

    /** Never a 5xx; a 4xx is a problem document. */
    static void judged(Operation op, Response response, String what) {
        int status = response.statusCode();
        String where = op + " " + what + ": " + status + " " + truncated(response.asString());
        assertTrue(status < 500, where);
        if (status >= 400 && op.referenceErrors() && !String.valueOf(response.contentType()).startsWith("application/problem+json")) {
            assertTrue(String.valueOf(response.contentType()).startsWith("application/json"), "not the reference's error shape: " + where);
            assertTrue(response.jsonPath().getString("error") != null, "not the reference's error shape: " + where);
        } else if (status >= 400) {
            boolean problemDocument = String.valueOf(response.contentType()).startsWith("application/problem+json");
            assertTrue(problemDocument, "not a problem document: " + where);
            if (!problemDocument) {
                return;
            }
            JsonPath problem = response.jsonPath();
            assertTrue(problem.getInt("status") == status && problem.getString("title") != null, "an incomplete problem: " + where);
        }
    }

    static String truncated(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    static RequestSpecification json(String body) {
        return given().contentType(ContentType.JSON).body(body);
    }

    static RequestSpecification plain(Operation op) {
        return op.bodySchema() == null ? given() : json("{}");
    }

    @Test
    void withoutAValidTokenEveryOperationIsA401Problem() throws Exception {
        String forged = forgedToken();
        String unsigned = unsignedToken();
        for (Operation op : OPERATIONS) {
            if (op.publicApi()) {
                continue; // the registration token in the body is its credential: see the bad-input corpus
            }
            String path = path(op, UUID.randomUUID().toString());
            for (Map.Entry<String, RequestSpecification> attempt : Map.of(
                    "without a token", plain(op),
                    "with a forged token", plain(op).auth().oauth2(forged),
                    "with an unsigned token", plain(op).auth().oauth2(unsigned),
                    "with a malformed token", plain(op).header("Authorization", "Bearer not.a.jwt"),
                    "with basic credentials", plain(op).header("Authorization", "Basic YWRtaW46YWRtaW4=")).entrySet()) {
                Response response = send(op, attempt.getValue(), path, attempt.getKey());
                judged(op, response, attempt.getKey());
                assertTrue(response.statusCode() == 401, op + " " + attempt.getKey() + ": " + response.statusCode());
            }
        }
    }

    @Test
    void aCredentialOfTheWrongKindOrScopeNeverReachesAnOperation() {
        for (Operation op : OPERATIONS) {
            if (op.publicApi()) {
                continue;
            }
            String path = path(op, UUID.randomUUID().toString());
            if (op.agentApi()) {
                Response user = send(op, plain(op).auth().oauth2(admin), path, "with a user's token");
                judged(op, user, "with a user's token");
                assertTrue(user.statusCode() == 401, op + " with a user's token: " + user.statusCode());
            } else {
                Response agent = send(op, plain(op).auth().oauth2(agentKey), path, "with an agent's key");
                judged(op, agent, "with an agent's key");
                assertTrue(agent.statusCode() == 401, op + " with an agent's key: " + agent.statusCode());
                if (op.write() || op.path().startsWith("/internal/")) {
                    Response read = send(op, plain(op).auth().oauth2(reader), path, "with a reader's token");
                    judged(op, read, "with a reader's token");
                    assertTrue(read.statusCode() == 403, op + " with a reader's token: " + read.statusCode());
                }
            }
        }
    }

    /** globex's own objects, by the path prefix whose first parameter names them; made once. */
    static Map<String, String> globexIds;
    static final String GLOBEX_MARK = "globex-secret-" + UUID.randomUUID().toString().substring(0, 8);

    static synchronized Map<String, String> globexObjects() {
        if (globexIds != null) {
            return globexIds;
        }
        String globex = Tokens.user(Tokens.GLOBEX_ADMIN);
        Map<String, String> ids = new LinkedHashMap<>();
        String server = given().baseUri(LocalStack.env("REWIND_SERVER_REGISTRY_URL")).auth().oauth2(globex).contentType(ContentType.JSON)
                .body(Map.of("name", GLOBEX_MARK, "host", "127.0.0.1", "port", 1, "username", "rewind", "password", GLOBEX_MARK,
                        "connection_method", "direct", "skip_checks", true))
                .when().post("/servers").then().statusCode(201).extract().path("id");
        ids.put("/servers/", server);
        String backups = LocalStack.env("REWIND_BACKUP_SERVICE_URL");
        String schedule = org.awaitility.Awaitility.await("backup-service learns of globex's server").atMost(java.time.Duration.ofMinutes(1))
                .pollInterval(java.time.Duration.ofMillis(500))
                .until(() -> given().baseUri(backups).auth().oauth2(globex).contentType(ContentType.JSON)
                        .body(Map.of("server_id", server, "schedule_cron", "0 3 * * *", "enabled", false, "s3_prefix", GLOBEX_MARK))
                        .when().post("/backup/schedules"), r -> r.statusCode() != 404)
                .then().statusCode(201).extract().path("id");
        ids.put("/backup/schedules/", schedule);
        ids.put("/backup/history/", given().baseUri(backups).auth().oauth2(globex).contentType(ContentType.JSON)
                .body(Map.of("server_id", server)).when().post("/backup").then().statusCode(202).extract().path("backup_id"));
        ids.put("/backup/", ids.get("/backup/history/"));
        String agents = LocalStack.env("REWIND_AGENT_GATEWAY_URL");
        JsonPath token = given().baseUri(agents).auth().oauth2(globex).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/admin/registration-tokens").then().statusCode(201).extract().jsonPath();
        ids.put("/api/v1/admin/registration-tokens/", token.getString("id"));
        ids.put("/api/v1/admin/agents/", given().baseUri(agents).contentType(ContentType.JSON)
                .body(Map.of("registrationToken", token.getString("token"), "hostname", GLOBEX_MARK, "os", "linux", "arch", "amd64",
                        "agentVersion", "1.0.0"))
                .when().post("/api/v1/agent/register").then().statusCode(201).extract().path("agentId"));
        String runs = LocalStack.env("REWIND_RUN_REGISTRY_URL");
        // ids the caller gives are echoed in a 404's detail: the mark goes into the run's content, not its ids
        String runId = "run-" + UUID.randomUUID();
        String jobName = "job-" + UUID.randomUUID();
        given().baseUri(runs).auth().oauth2(globex).contentType(ContentType.JSON)
                .body(Map.of("run_id", runId, "job_name", jobName, "agent_id", GLOBEX_MARK, "start_time", "2026-05-12T02:00:00Z",
                        "end_time", "2026-05-12T02:04:33Z", "status", "success", "metadata", Map.of("note", GLOBEX_MARK)))
                .when().post("/v1/backup-runs").then().statusCode(201);
        ids.put("/v1/backup-runs/jobs/", jobName);
        ids.put("/v1/backup-runs/", runId);
        ids.put("/v1/api-tokens/", given().baseUri(runs).auth().oauth2(globex).contentType(ContentType.JSON)
                .body(Map.of("name", GLOBEX_MARK)).when().post("/v1/api-tokens").then().statusCode(201).extract().path("id"));
        globexIds = ids;
        return ids;
    }

    /** The path with its first parameter the id of globex's object of that kind (a fresh UUID where it has none). */
    static String globexPath(Operation op, Map<String, String> ids) {
        String first = ids.entrySet().stream().filter(e -> op.path().startsWith(e.getKey()))
                .max(java.util.Comparator.comparingInt(e -> e.getKey().length())).map(Map.Entry::getValue)
                .orElse(UUID.randomUUID().toString());
        String path = op.path().replaceFirst("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(encoded(first)));
        return path.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    @Test
    void anotherTenantsIdsAreNotFoundOnEveryOperationAndNothingOfTheirsChanges() {
        Map<String, String> ids = globexObjects();
        String globex = Tokens.user(Tokens.GLOBEX_ADMIN);
        for (Operation op : OPERATIONS) {
            if (op.publicApi() || !op.path().contains("{") || op.path().startsWith("/internal/")) {
                continue;
            }
            String path = globexPath(op, ids);
            String credential = op.agentApi() ? agentKey : admin;
            Response response = send(op, plain(op).auth().oauth2(credential), path, "with another tenant's id");
            judged(op, response, "with another tenant's id");
            int status = response.statusCode();
            assertTrue(status >= 400 && status != 403 && status != 409, op + " " + path + " with globex's id as acme: " + status
                    + " (another tenant's object must look absent) " + truncated(response.asString()));
            assertTrue(!response.asString().contains(GLOBEX_MARK), op + " " + path + ": the answer shows globex's data");
        }
        // every object of globex is still there, unchanged
        given().baseUri(LocalStack.env("REWIND_SERVER_REGISTRY_URL")).auth().oauth2(globex).when().get("/servers/" + ids.get("/servers/"))
                .then().statusCode(200).body("status", not("decommissioned")).body("name", is(GLOBEX_MARK));
        given().baseUri(LocalStack.env("REWIND_BACKUP_SERVICE_URL")).auth().oauth2(globex)
                .when().get("/backup/schedules/" + ids.get("/backup/schedules/"))
                .then().statusCode(200).body("enabled", is(false)).body("s3_prefix", is(GLOBEX_MARK));
        given().baseUri(LocalStack.env("REWIND_BACKUP_SERVICE_URL")).auth().oauth2(globex)
                .when().get("/backup/history/" + ids.get("/backup/history/")).then().statusCode(200);
        given().baseUri(LocalStack.env("REWIND_AGENT_GATEWAY_URL")).auth().oauth2(globex)
                .when().get("/api/v1/admin/agents/" + ids.get("/api/v1/admin/agents/"))
                .then().statusCode(200).body("revoked", is(false));
        given().baseUri(LocalStack.env("REWIND_RUN_REGISTRY_URL")).auth().oauth2(globex)
                .when().get("/v1/backup-runs/" + ids.get("/v1/backup-runs/")).then().statusCode(200).body("status", is("success"));
        given().baseUri(LocalStack.env("REWIND_RUN_REGISTRY_URL")).auth().oauth2(globex).when().get("/v1/api-tokens")
                .then().statusCode(200).body("id", hasItem(ids.get("/v1/api-tokens/")))
                .body("find { it.id == '" + ids.get("/v1/api-tokens/") + "' }.revoked_at", nullValue());
    }

    @Test
    void badInputIsAlwaysAClear4xxProblem() {
        List<String> ids = List.of("not-a-uuid", encoded("../../etc/passwd"), "..%2F..%2Finternal", "%00", "a".repeat(1000), "-1",
                "0", encoded("' or 1=1 --"), encoded("💥"));
        List<String> queryValues = List.of("-1", "0", "99999999999999999999999", "NaN", "1e309", "abc", "\u0000", "x".repeat(3000),
                "2026-13-45T99:99:99Z", "' or 1=1 --", "../../etc/passwd", "[]", "{}", "true");
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            deep.append("{\"a\":");
        }
        deep.append("1").append("}".repeat(5000));
        StringBuilder hugeArray = new StringBuilder("[");
        for (int i = 0; i < 50_000; i++) {
            hugeArray.append(i == 0 ? "" : ",").append("\"x\"");
        }
        hugeArray.append(']');
        List<String> bodies = List.of("{", "}", "[]", "\"text\"", "123", "null", "{\"a\":", "{\"a\":1,}", "\u0000", deep.toString(),
                hugeArray.toString(), "{\"" + "k".repeat(100_000) + "\":1}", "not json at all");
        List<String> values = List.of("\"\\u0000\"", "\"" + "x".repeat(100_000) + "\"", "{\"nested\":{\"deeper\":[1,2,3]}}",
                "[1,\"two\",null]", "-1", "1e309", "99999999999999999999999999", "true", "\"../../etc/passwd\"", "\"' or 1=1 --\"",
                "\"2026-13-45T99:99:99Z\"", "null", hugeArray.toString());
        for (Operation op : OPERATIONS) {
            String token = op.agentApi() ? agentKey : admin;
            String validPath = path(op, UUID.randomUUID().toString());
            if (op.path().contains("{")) {
                for (String id : ids) {
                    RequestSpecification spec = plain(op);
                    if (!op.publicApi()) {
                        spec.auth().oauth2(token);
                    }
                    judged(op, send(op, spec, path(op, id), "with the id " + truncated(id)), "with the id " + truncated(id));
                }
            }
            for (Map<String, Object> parameter : op.parameters()) {
                if (!"query".equals(parameter.get("in"))) {
                    continue;
                }
                for (String value : queryValues) {
                    RequestSpecification spec = plain(op);
                    if (!op.publicApi()) {
                        spec.auth().oauth2(token);
                    }
                    String path = validPath + "?" + parameter.get("name") + "=" + encoded(value);
                    judged(op, send(op, spec, path, "with ?" + parameter.get("name") + "=" + truncated(value)),
                            "with ?" + parameter.get("name") + "=" + truncated(value));
                }
            }
            if (op.bodySchema() == null) {
                continue;
            }
            for (String body : bodies) {
                RequestSpecification spec = json(body);
                if (!op.publicApi()) {
                    spec.auth().oauth2(token);
                }
                judged(op, send(op, spec, validPath, "with the body " + truncated(body)), "with the body " + truncated(body));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) op.bodySchema().getOrDefault("properties", Map.of());
            for (String property : properties.keySet()) {
                for (String value : values) {
                    String body = "{\"" + property + "\":" + value + "}";
                    RequestSpecification spec = json(body);
                    if (!op.publicApi()) {
                        spec.auth().oauth2(token);
                    }
                    judged(op, send(op, spec, validPath, "with " + truncated(body)), "with " + truncated(body));
                }
            }
            RequestSpecification wrongType = given().contentType("text/plain").body("server_id=1");
            if (!op.publicApi()) {
                wrongType.auth().oauth2(token);
            }
            judged(op, send(op, wrongType, validPath, "with a text/plain body"), "with a text/plain body");
        }
        for (Map.Entry<String, String> service : SERVICES.entrySet()) {
            given().baseUri(LocalStack.env(service.getValue())).when().get("/q/health/live").then().statusCode(200);
        }
        given().baseUri(LocalStack.env("REWIND_SERVER_REGISTRY_URL")).auth().oauth2(admin).when().get("/servers")
                .then().statusCode(200).body("$", instanceOf(List.class));
    }

    @Test
    void aNulCharacterInAnOtherwiseValidBodyIsA400() {
        String runs = LocalStack.env("REWIND_RUN_REGISTRY_URL");
        String report = "{\"run_id\":\"sec-%s\",\"job_name\":\"%s\",\"agent_id\":\"db-01\",\"start_time\":\"2026-05-12T02:00:00Z\","
                + "\"end_time\":\"2026-05-12T02:04:33Z\",\"status\":\"success\"%s}";
        for (String body : List.of(report.formatted(UUID.randomUUID(), "nightly", ",\"metadata\":{\"note\":\"a\\u0000b\"}"),
                report.formatted(UUID.randomUUID(), "night\\u0000ly", ""))) {
            given().baseUri(runs).auth().oauth2(admin).contentType(ContentType.JSON).body(body).when().post("/v1/backup-runs")
                    .then().statusCode(400).body("error", containsString("NUL"));
        }
        given().baseUri(LocalStack.env("REWIND_AGENT_GATEWAY_URL")).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"description\":\"a\\u0000b\"}").when().post("/api/v1/admin/registration-tokens")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("description"));
        given().baseUri(LocalStack.env("REWIND_SERVER_REGISTRY_URL")).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"nul-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"host\":\"127.0.0.1\",\"port\":3307,"
                        + "\"username\":\"rewind\",\"password\":\"a\\u0000b\",\"skip_checks\":true}")
                .when().post("/servers").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("password"));
    }

    /** A well-formed token with every claim a real one has, signed by a key the issuer never had. */
    static String forgedToken() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"forged\"}");
        String payload = b64(claims());
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(pair.getPrivate());
        rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    /** The same claims with {@code alg: none} and no signature. */
    static String unsignedToken() {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims()) + ".";
    }

    static String claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        long now = Instant.now().getEpochSecond();
        claims.put("iss", LocalStack.env("REWIND_OIDC_URL"));
        claims.put("aud", "rewind-api");
        claims.put("sub", UUID.randomUUID().toString());
        claims.put("iat", now);
        claims.put("exp", now + 600);
        claims.put("tenant", "acme");
        claims.put("azp", "rewind-cli");
        claims.put("scope", "servers:read servers:write servers:delete servers:connect backup:create backup:delete agents:manage"
                + " runs:read runs:write runs:delete audit:read");
        StringBuilder json = new StringBuilder("{");
        claims.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":")
                .append(v instanceof String ? "\"" + v + "\"" : v));
        return json.append('}').toString();
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
