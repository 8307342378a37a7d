package dev.rewind.registry.rest;

import dev.rewind.commons.problem.ProblemException;
import dev.rewind.commons.tenant.CallerTenant;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The internal API is for Rewind's own services: their client-credentials tokens carry no tenant. A user's token
 * (bound to a tenant) is refused there even when it holds the permission, so no tenant can read another tenant's
 * connection secrets by reaching the service directly.
 */
@RequestScoped
public class ServiceCaller {

    private final JsonWebToken token;

    public ServiceCaller(JsonWebToken token) {
        this.token = token;
    }

    /** @throws ProblemException 403 when the token is bound to a tenant */
    public void require() {
        Object tenant = token.getClaim(CallerTenant.CLAIM);
        if (tenant != null && !tenant.toString().replace("\"", "").isBlank()) {
            throw ProblemException.forbidden("The internal API is for Rewind's services; a tenant's token cannot use it");
        }
    }
}
