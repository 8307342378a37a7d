package dev.rewind.registry;

import static io.restassured.RestAssured.given;

import dev.rewind.testing.KafkaTopics;
import dev.rewind.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

/** Small helpers the server-registry tests share: registering servers and reading what went to the topics. */
public final class Api {

    public static final String ACME_NOROLE = "acme-norole";

    private Api() {
    }

    public static String admin() {
        return Tokens.user(Tokens.ACME_ADMIN);
    }

    public static String reader() {
        return Tokens.user(Tokens.ACME_READER);
    }

    public static String globex() {
        return Tokens.user(Tokens.GLOBEX_ADMIN);
    }

    public static String norole() {
        return Tokens.user(ACME_NOROLE);
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A direct server on an address nothing listens on, registered without the connection check. */
    public static Map<String, Object> unchecked(String name, String password) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("host", "127.0.0.1");
        body.put("port", 3307);
        body.put("username", "rewind");
        body.put("password", password);
        body.put("connection_method", "direct");
        body.put("skip_checks", true);
        return body;
    }

    /** An ssh_tunnel server (never checked before acceptance: the jump host admits Rewind only after the firewall step). */
    public static Map<String, Object> tunnelled(String name, String password) {
        Map<String, Object> body = unchecked(name, password);
        body.remove("skip_checks");
        body.put("host", "10.20.30.40");
        body.put("connection_method", "ssh_tunnel");
        body.put("ssh_jump_host", "bastion.example.com");
        body.put("ssh_jump_port", 22);
        body.put("ssh_jump_user", "rewind");
        return body;
    }

    /** Registers and answers the new server's id. */
    public static String register(String token, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/servers")
                .then().statusCode(201).extract().path("id");
    }

    public static JsonPath server(String id) {
        return given().auth().oauth2(reader()).when().get("/servers/" + id).then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath onboardingStatus(String id) {
        return given().auth().oauth2(reader()).when().get("/servers/" + id + "/onboarding-status")
                .then().statusCode(200).extract().jsonPath();
    }

    /** The records of a topic keyed by {@code key}, once at least one matches {@code until}. */
    public static List<ConsumerRecord<String, String>> awaitRecords(String topic, String key,
            Predicate<List<ConsumerRecord<String, String>>> until) {
        return Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> KafkaTopics.read(topic, r -> key.equals(r.key()), Duration.ofMillis(400)), until);
    }

    /** The records of type {@code dev.rewind.<type>}. */
    public static List<ConsumerRecord<String, String>> ofType(List<ConsumerRecord<String, String>> records, String type) {
        return records.stream().filter(r -> ("dev.rewind." + type).equals(header(r, "ce_type"))).toList();
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
