package dev.rewind.agent.security;

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
 * Authenticates agents by their API key, and only on the agent API ({@code /api/v1/agent/**} except
 * {@code register}). It runs before OIDC: on the agent API any other credential (an OIDC token, a malformed or
 * unknown key) fails with 401 and OIDC is never asked; everywhere else it stays out of the way, so an agent key
 * sent to {@code /api/v1/admin/**} reaches OIDC, which rejects it.
 */
@ApplicationScoped
public class AgentKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String AGENT_API = "/api/v1/agent/";
    public static final String REGISTER = "/api/v1/agent/register";
    private static final String BEARER = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String path = context.normalizedPath();
        if (!path.startsWith(AGENT_API) || path.equals(REGISTER)) {
            return Uni.createFrom().nullItem();
        }
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            return Uni.createFrom().nullItem(); // anonymous: the endpoint's role check answers 401
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || !authorization.substring(BEARER.length()).trim().startsWith(ApiKeys.KEY_PREFIX)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the agent API takes only an agent API key"));
        }
        String key = authorization.substring(BEARER.length()).trim();
        return identityProviderManager.authenticate(new AgentKeyAuthenticationRequest(key));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(AgentKeyAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000; // before OIDC's bearer mechanism
    }
}
