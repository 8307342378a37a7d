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
    /**
     * What a tenant id may be: it names S3 keys ({@code backups/<tenant>/…}), Kafka headers and rows, so nothing that
     * could climb out of a key prefix or smuggle a separator.
     */
    public static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62})");

    private final JsonWebToken token;

    public CallerTenant(JsonWebToken token) {
        this.token = token;
    }

    /** The caller's tenant id; 403 when the token names none, or one that is not a tenant id ({@link #ID}). */
    public String id() {
        Object claim = token.getClaim(CLAIM);
        String tenant = claim == null ? null : claim.toString().replace("\"", "").trim();
        if (tenant == null || tenant.isEmpty()) {
            throw ProblemException.forbidden("The token is not bound to a tenant");
        }
        if (!ID.matcher(tenant).matches()) {
            throw ProblemException.forbidden("The token's tenant claim is not a tenant id (lowercase letters, digits and '-',"
                    + " at most 63)");
        }
        return tenant;
    }

    /** Who is calling, for audit records and per-user limits: the token's subject. */
    public String subject() {
        return token.getSubject();
    }
}
