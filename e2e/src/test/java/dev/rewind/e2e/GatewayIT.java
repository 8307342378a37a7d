package dev.rewind.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The suite as a user meets it: the packaged services behind the nginx gateway, tokens from Keycloak.
 * Each route reaches its service, which authorises: 200 with the right scope, 401 without a token,
 * 403 with a token lacking the scope.
 */
class GatewayIT {

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = LocalStack.env("REWIND_GATEWAY_URL");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            // method, path, a token with the scope, a token without it
            "GET, /servers, acme-reader, ",
            "GET, /backup/history, acme-admin, acme-reader",
            "GET, /servers/{acme-server}/pitr, acme-admin, acme-reader",
            "GET, /api/v1/admin/agents, acme-admin, acme-reader",
            "GET, /v1/backup-runs, acme-reader, ",
    })
    void everyServiceIsReachedAndAuthorises(String method, String template, String allowed, String denied) {
        // a server of acme's: another tenant's or an unknown server is a 404 on every server path
        String path = template.replace("{acme-server}", acmeServer());
        given().auth().oauth2(Tokens.user(allowed)).when().request(method, path)
                .then().statusCode(200).contentType(ContentType.JSON);
        given().when().request(method, path)
                .then().statusCode(401).contentType("application/problem+json");
        if (denied != null) {
            given().auth().oauth2(Tokens.user(denied)).when().request(method, path)
                    .then().statusCode(403).contentType("application/problem+json");
        }
    }

    private static String acmeServer;

    static synchronized String acmeServer() {
        if (acmeServer == null) {
            acmeServer = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType(ContentType.JSON)
                    .body(Map.of("name", "gw-route-" + UUID.randomUUID().toString().substring(0, 8), "host", "127.0.0.1", "port", 3307,
                            "username", "rewind", "password", "rewind", "skip_checks", true))
                    .when().post("/servers")
                    .then().statusCode(201).extract().path("id");
        }
        return acmeServer;
    }

    @Test
    void writesNeedTheirScopeThroughTheGateway() {
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "host", "h", "port", 3306, "username", "u", "password", "p"))
                .when().post("/servers")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().delete("/v1/backup-runs/" + UUID.randomUUID())
                .then().statusCode(403);
    }

    @Test
    void aGlobexTokenNeverReadsAcmeData() {
        String id = given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).contentType(ContentType.JSON)
                .body(Map.of("name", "gw-" + UUID.randomUUID().toString().substring(0, 8), "host", "127.0.0.1", "port", 3307,
                        "username", "rewind", "password", "rewind"))
                .when().post("/servers")
                .then().statusCode(201).extract().path("id");

        given().auth().oauth2(Tokens.user(Tokens.ACME_READER)).when().get("/servers/" + id).then().statusCode(200);
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/servers/" + id)
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user(Tokens.GLOBEX_ADMIN)).when().get("/servers")
                .then().statusCode(200).body("id", not(hasItem(id)));
    }

    @ParameterizedTest
    @CsvSource({"/internal/servers/x/connection", "/q/health", "/q/metrics", "/q/openapi", "/nowhere"})
    void internalAndManagementPathsAreNeverExposed(String path) {
        given().auth().oauth2(Tokens.user(Tokens.ACME_ADMIN)).when().get(path)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theGatewaysOwnLimitsAreProblemDocumentsToo() {
        String token = Tokens.user(Tokens.ACME_ADMIN);
        given().auth().oauth2(token).urlEncodingEnabled(false).when().get("/servers?q=" + "x".repeat(10_000))
                .then().statusCode(414).contentType("application/problem+json").body("status", is(414));
        given().auth().oauth2(token).header("X-Filler", "x".repeat(10_000)).when().get("/servers")
                .then().statusCode(431).contentType("application/problem+json").body("status", is(431));
        // a line the gateway takes is the service's to answer, not cut off in between
        given().auth().oauth2(token).urlEncodingEnabled(false).when().get("/servers?q=" + "x".repeat(6_000))
                .then().statusCode(200);
        given().urlEncodingEnabled(false).when().get("/servers/%2e%2e/internal").then().statusCode(400)
                .contentType("application/problem+json");
    }

    /**
     * Registration is unauthenticated: a client address that tries registration tokens faster than 60 a minute gets
     * 429 problem documents with Retry-After, while another address still registers. The flood comes from
     * 127.0.0.2 (a loopback address of its own), so the limit it exhausts is no other test's.
     */
    @Test
    void aFloodOfRegistrationsFromOneAddressIsRateLimited() throws Exception {
        java.net.URI gateway = java.net.URI.create(LocalStack.env("REWIND_GATEWAY_URL"));
        String body = "{\"registration_token\":\"not-a-token\",\"hostname\":\"flood\"}";
        int limited = 0;
        String last = "";
        for (int i = 0; i < 80; i++) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
                socket.connect(new java.net.InetSocketAddress(gateway.getHost(), gateway.getPort()), 5000);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("POST /api/v1/agent/register HTTP/1.1\r\nHost: " + gateway.getHost()
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                        + "\r\nConnection: close\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (answer.startsWith("HTTP/1.1 429")) {
                    limited++;
                    last = answer;
                } else {
                    org.hamcrest.MatcherAssert.assertThat(answer, anyOf(startsWith("HTTP/1.1 400"), startsWith("HTTP/1.1 401"),
                            startsWith("HTTP/1.1 403"), startsWith("HTTP/1.1 422")));
                }
            }
        }
        org.hamcrest.MatcherAssert.assertThat("requests past the burst are refused", limited, greaterThanOrEqualTo(15));
        org.hamcrest.MatcherAssert.assertThat(last, allOf(containsString("application/problem+json"),
                containsStringIgnoringCase("Retry-After: 60"), containsString("\"status\":429")));
        // another address is not affected
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/agent/register")
                .then().statusCode(not(429));
    }

    @ParameterizedTest
    @CsvSource({"8081", "8082", "8083", "8084", "8085"})
    void everyServiceHasHealthOpenApiAndMetrics(int port) {
        String base = "http://127.0.0.1:" + port;
        given().baseUri(base).when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem(containsStringIgnoringCase("database")))
                .body("checks.name", hasItem(containsStringIgnoringCase("kafka")));
        given().baseUri(base).accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("openapi", startsWith("3."));
        // the documented property names are the ones on the wire (snake_case; camelCase for the agent API)
        String[] documented = switch (port) {
            case 8081 -> new String[] {"OnboardingStatusView", "current_step"};
            case 8082 -> new String[] {"BackupRequest", "server_id"};
            case 8083 -> new String[] {"PitrRequest", "target_time"};
            case 8084 -> new String[] {"RegisterRequest", "registrationToken"};
            default -> new String[] {"BackupRunRequest", "run_id"};
        };
        given().baseUri(base).accept("application/json").when().get("/q/openapi").then()
                .body("components.schemas." + documented[0] + ".properties", hasKey(documented[1]));
        given().baseUri(base).when().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds"));
    }
}
