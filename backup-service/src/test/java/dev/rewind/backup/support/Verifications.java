package dev.rewind.backup.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.rewind.testing.Tokens;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Helpers around restore verification: requesting with or without it, the phases seen, the scratch databases left. */
public final class Verifications {

    private Verifications() {
    }

    /** POST /backup of one schema with {@code verify} as given (null: not sent). */
    public static UUID request(UUID serverId, String database, Boolean verify) {
        String body = "{\"server_id\":\"%s\",\"databases\":[\"%s\"]%s}".formatted(serverId, database,
                verify == null ? "" : ",\"verify\":" + verify);
        String id = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType("application/json").body(body)
                .when().post("/backup")
                .then().statusCode(202).extract().path("backup_id");
        return UUID.fromString(id);
    }

    /** Polls GET /backup/history/{id} closely until the backup has finished; answers the phases seen on the way. */
    public static Set<String> phasesUntilFinished(UUID backupId) {
        Set<String> phases = new LinkedHashSet<>();
        String token = Tokens.user(Tokens.ACME_ADMIN);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonPath entry = given().auth().oauth2(token).when().get("/backup/history/" + backupId)
                    .then().statusCode(200).extract().jsonPath();
            phases.add(entry.getString("phase"));
            return List.of("completed", "failed").contains(entry.getString("status"));
        });
        return phases;
    }

    /** The scratch databases of a backup still present on a server (none, once a verification has finished). */
    public static String scratchDatabasesLeft(int port, UUID backupId) {
        return SourceSchema.run(port, "show databases like 'rewind\\_verify\\_" + backupId.toString().substring(0, 8) + "%'")
                .strip();
    }

    /** The checks of an entry as {check → table → status}. */
    public static Map<String, Map<String, String>> checkStatuses(JsonPath entry) {
        Map<String, Map<String, String>> result = new java.util.TreeMap<>();
        List<Map<String, String>> checks = entry.getList("verification.checks");
        for (Map<String, String> check : checks) {
            result.computeIfAbsent(check.get("check"), k -> new java.util.TreeMap<>()).put(check.get("table"), check.get("status"));
        }
        return result;
    }
}
