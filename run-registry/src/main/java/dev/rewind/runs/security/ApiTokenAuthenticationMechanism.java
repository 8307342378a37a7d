package dev.rewind.runs.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Authenticates {@code Authorization: Bearer rr_...} API tokens, and only on the ledger ({@code /v1/backup-runs}
 * and below). It runs before OIDC's bearer mechanism: a bearer credential that is not an {@code rr_} token is
 * left to OIDC; an {@code rr_} token anywhere else (e.g. {@code /v1/api-tokens}) fails with 401 at once, so a
 * tool's token can never mint or revoke tokens, and OIDC is never asked to make sense of it.
 * No address is trusted: without a credential the request stays anonymous and the endpoint answers 401.
 */
@ApplicationScoped
public class ApiTokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** The only paths an API token opens. */
    public static final String LEDGER = "/v1/backup-runs";
    private static final String BEARER = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String token = authorization.substring(BEARER.length()).trim();
        if (!token.startsWith(ApiTokens.PREFIX)) {
            return Uni.createFrom().nullItem(); // an OIDC access token: OIDC's mechanism takes it
        }
        if (!onLedger(context.normalizedPath())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("API tokens authenticate only on " + LEDGER));
        }
        return identityProviderManager.authenticate(new ApiTokenAuthenticationRequest(token));
    }

    static boolean onLedger(String path) {
        return path != null && (path.equals(LEDGER) || path.startsWith(LEDGER + "/"));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000; // before OIDC's bearer mechanism
    }
}
