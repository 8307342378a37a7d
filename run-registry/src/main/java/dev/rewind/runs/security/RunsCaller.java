package dev.rewind.runs.security;

import dev.rewind.commons.tenant.CallerTenant;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * The tenant of whoever calls the ledger: an API token's tenant, or the {@code tenant} claim of an OIDC token
 * (403 when it names none, as {@link CallerTenant} does).
 */
@RequestScoped
public class RunsCaller {

    private final SecurityIdentity identity;
    private final CallerTenant oidcTenant;

    public RunsCaller(SecurityIdentity identity, CallerTenant oidcTenant) {
        this.identity = identity;
        this.oidcTenant = oidcTenant;
    }

    public String tenant() {
        String tokenTenant = identity.getAttribute(ApiTokenIdentityProvider.TENANT);
        return tokenTenant != null ? tokenTenant : oidcTenant.id();
    }
}
