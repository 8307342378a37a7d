package dev.rewind.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Access tokens from the local Keycloak realm {@code rewind}: users through the password grant of the
 * public client {@code rewind-cli} (password = user name on the local stack), services through client
 * credentials. Tokens are cached for the run (they live an hour).
 */
public final class Tokens {

    public static final String ACME_ADMIN = "acme-admin";
    public static final String ACME_READER = "acme-reader";
    public static final String GLOBEX_ADMIN = "globex-admin";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {
    }

    /** A token of a local-stack user. */
    public static String user(String username) {
        return CACHE.computeIfAbsent("user:" + username, k -> fetch(Map.of(
                "grant_type", "password", "client_id", "rewind-cli", "username", username, "password", username)));
    }

    /** A token of a service's own client (client credentials); the secret comes from the stack's env. */
    public static String service(String clientId) {
        String secretVariable = "REWIND_CLIENT_SECRET_" + clientId.toUpperCase().replace('-', '_');
        return CACHE.computeIfAbsent("client:" + clientId, k -> fetch(Map.of(
                "grant_type", "client_credentials", "client_id", clientId, "client_secret", LocalStack.env(secretVariable))));
    }

    private static String fetch(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(LocalStack.env("REWIND_OIDC_URL") + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token (" + response.statusCode() + "): " + response.body());
            }
            JsonNode token = JSON.readTree(response.body());
            return token.get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak is not reachable at " + LocalStack.env("REWIND_OIDC_URL"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
