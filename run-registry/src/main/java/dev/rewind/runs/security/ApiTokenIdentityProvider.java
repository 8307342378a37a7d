package dev.rewind.runs.security;

import dev.rewind.runs.repository.ApiTokenRepository;
import dev.rewind.runs.repository.ApiTokenRepository.Credential;
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
 * an unknown, malformed or revoked token fails authentication (401). Live tokens are kept briefly in
 * {@link ApiTokenCache}, which every replica empties of a token as soon as it is revoked.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenAuthenticationRequest> {

    /** The identity attribute holding the token's tenant. */
    public static final String TENANT = "rewind.runs.api-token.tenant";
    public static final String PRINCIPAL_PREFIX = "api-token:";

    private final ApiTokenRepository tokens;
    private final ApiTokenCache cache;

    public ApiTokenIdentityProvider(ApiTokenRepository tokens, ApiTokenCache cache) {
        this.tokens = tokens;
        this.cache = cache;
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
        Credential cached = cache.get(id.get());
        Uni<Credential> credential;
        if (cached != null) {
            credential = Uni.createFrom().item(cached);
        } else {
            long generation = cache.generation();
            credential = tokens.findCredential(id.get()).invoke(found -> cache.put(id.get(), found, generation));
        }
        return credential.map(stored -> {
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
