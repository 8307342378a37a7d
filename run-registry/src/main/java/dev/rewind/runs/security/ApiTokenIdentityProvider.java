package dev.rewind.runs.security;

import dev.rewind.runs.repository.ApiTokenRepository;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns an API token into an identity of its tenant holding {@code runs:read} and {@code runs:write} (never
 * {@code runs:delete}). The token's row is found by the id it carries and its hash compared in constant time;
 * an unknown, malformed or revoked token fails authentication (401). Nothing is cached: a revocation takes
 * effect on the next request, on every replica.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenAuthenticationRequest> {

    /** The identity attribute holding the token's tenant. */
    public static final String TENANT = "rewind.runs.api-token.tenant";
    public static final String PRINCIPAL_PREFIX = "api-token:";

    private final ApiTokenRepository tokens;

    public ApiTokenIdentityProvider(ApiTokenRepository tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<ApiTokenAuthenticationRequest> getRequestType() {
        return ApiTokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenAuthenticationRequest request, AuthenticationRequestContext context) {
        Optional<UUID> id = ApiTokens.idOf(request.token());
        if (id.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not an API token"));
        }
        byte[] presented = ApiTokens.sha256(request.token());
        return tokens.findCredential(id.get()).map(stored -> {
            if (stored == null || !ApiTokens.sameHash(stored.tokenHash(), presented) || stored.revoked()) {
                throw new AuthenticationFailedException("unknown or revoked API token");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(PRINCIPAL_PREFIX + id.get()))
                    .addAttribute(TENANT, stored.tenant())
                    .addPermissionAsString("runs:read")
                    .addPermissionAsString("runs:write")
                    .build();
        });
    }
}
