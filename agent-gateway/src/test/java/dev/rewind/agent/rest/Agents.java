package dev.rewind.agent.rest;

import static io.restassured.RestAssured.given;

import dev.rewind.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Drives the agent API the way a real agent does: mint a token as admin, register, heartbeat, run jobs. */
final class Agents {

    /** A registered agent: its id and the API key shown once at registration. */
    record Registered(String id, String apiKey, String hostname) {

        RequestSpecification call() {
            return given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON);
        }
    }

    private Agents() {
    }

    static String mintToken(String adminToken) {
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/admin/registration-tokens")
                .then().statusCode(201).extract().path("token");
    }

    static Response register(String registrationToken, String hostname) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("registrationToken", registrationToken, "hostname", hostname, "os", "linux", "arch", "amd64",
                        "agentVersion", "1.0.0"))
                .when().post("/api/v1/agent/register");
    }

    static Registered registered(String adminToken) {
        String hostname = "host-" + UUID.randomUUID().toString().substring(0, 8);
        Response response = register(mintToken(adminToken), hostname);
        response.then().statusCode(201);
        return new Registered(response.path("agentId"), response.path("apiKey"), hostname);
    }

    /** A registered acme agent that reported one MySQL database; answers the agent and that database's id. */
    static Registered withDatabase(String databaseName) {
        Registered agent = registered(Tokens.user(Tokens.ACME_ADMIN));
        heartbeat(agent, null, List.of(database(databaseName)));
        return agent;
    }

    static Map<String, Object> database(String name) {
        return Map.of("dbType", "mysql", "dbVersion", "8.0.31", "host", "127.0.0.1", "port", "3308", "databaseName", name);
    }

    static boolean heartbeat(Registered agent, String configHash, List<Map<String, Object>> databases) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("status", "online", "agentVersion", "1.0.0",
                "discoveredDatabases", databases));
        if (configHash != null) {
            body.put("configHash", configHash);
        }
        return agent.call().body(body).when().post("/api/v1/agent/heartbeat")
                .then().statusCode(200).extract().path("configChanged");
    }

    static String databaseId(Registered agent, String name) {
        List<Map<String, Object>> dbs = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN))
                .when().get("/api/v1/admin/agents/" + agent.id() + "/databases")
                .then().statusCode(200).extract().path("$");
        return dbs.stream().filter(d -> name.equals(d.get("databaseName"))).map(d -> (String) d.get("id")).findFirst().orElseThrow();
    }

    static String target(String adminToken) {
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "t-" + UUID.randomUUID().toString().substring(0, 8), "type", "s3", "bucket", "rewind-backups",
                        "prefix", "agents/", "region", "us-east-1"))
                .when().post("/api/v1/admin/targets")
                .then().statusCode(201).extract().path("id");
    }

    static String startJob(Registered agent, String databaseId, String targetId) {
        return agent.call().body(Map.of("databaseId", databaseId, "targetId", targetId))
                .when().post("/api/v1/agent/jobs/start")
                .then().statusCode(201).extract().path("jobId");
    }

    static Response status(Registered agent, String jobId, Map<String, Object> body) {
        return agent.call().body(body).when().post("/api/v1/agent/jobs/" + jobId + "/status");
    }

    /** Walks a job through every stage to completed with the given compressed size. */
    static void complete(Registered agent, String jobId, long compressedSize) {
        for (String stage : List.of("compressing", "encrypting", "uploading")) {
            status(agent, jobId, Map.of("status", stage)).then().statusCode(200);
        }
        status(agent, jobId, Map.of("status", "completed", "dumpSize", compressedSize * 3, "compressedSize", compressedSize,
                "uploadPath", "s3://rewind-backups/agents/" + jobId, "durationMs", 8500)).then().statusCode(200);
    }
}
