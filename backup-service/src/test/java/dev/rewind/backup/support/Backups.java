package dev.rewind.backup.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.rewind.backup.Backup;
import dev.rewind.testing.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Helpers to request backups and wait for them, the way a client would (HTTP), or to read the entry directly. */
public final class Backups {

    private Backups() {
    }

    public static UUID requestOf(UUID serverId, String database) {
        String id = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType("application/json")
                .body("{\"server_id\":\"%s\",\"databases\":[\"%s\"]}".formatted(serverId, database))
                .when().post("/backup")
                .then().statusCode(202).extract().path("backup_id");
        return UUID.fromString(id);
    }

    /** Polls GET /backup/history/{id} until the backup has finished; answers the entry. */
    public static JsonPath awaitFinished(UUID backupId, String token) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = given().auth().oauth2(token).when().get("/backup/history/" + backupId)
                    .then().statusCode(200).extract().jsonPath();
            String status = last[0].getString("status");
            return status.equals("completed") || status.equals("failed");
        });
        return last[0];
    }

    public static Backup entry(UUID id) {
        return db(() -> Panache.withSession(() -> Backup.<Backup>findById(id)));
    }

    public static List<Backup> ofSchedule(UUID scheduleId) {
        return db(() -> Panache.withSession(() -> Backup.<Backup>list("scheduleId", scheduleId)));
    }

    /** Runs reactive database work from a test thread. */
    public static <T> T db(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    public static void sql(String statement, Object... params) {
        db(() -> Panache.withTransaction(() -> Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(statement);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            return query.executeUpdate();
        })));
    }
}
