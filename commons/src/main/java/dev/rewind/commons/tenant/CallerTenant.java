package dev.rewind.commons.tenant;

import dev.rewind.commons.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The tenant of the caller, from the bearer token's {@code tenant} claim. Every query of tenant data filters
 * by it; a token without one (a service account) cannot reach tenant endpoints.
 */
@RequestScoped
public class CallerTenant {

    public static final String CLAIM = "tenant";

    private final JsonWebToken token;

    public CallerTenant(JsonWebToken token) {
        this.token = token;
    }

    /** The caller's tenant id; 403 when the token names none. */
    public String id() {
        Object claim = token.getClaim(CLAIM);
        String tenant = claim == null ? null : claim.toString().replace("\"", "").trim();
        if (tenant == null || tenant.isEmpty()) {
            throw ProblemException.forbidden("The token is not bound to a tenant");
        }
        return tenant;
    }

    /** Who is calling, for audit records and per-user limits: the token's subject. */
    public String subject() {
        return token.getSubject();
    }
}
