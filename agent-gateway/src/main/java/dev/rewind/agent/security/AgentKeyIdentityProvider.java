package dev.rewind.agent.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns an agent API key into the agent's identity: the key is hashed, the agent found by the hash, and the
 * stored hash compared in constant time. A revoked or unknown key fails authentication (401).
 */
@ApplicationScoped
public class AgentKeyIdentityProvider implements IdentityProvider<AgentKeyAuthenticationRequest> {

    /** The role every authenticated agent holds; the agent endpoints require it. */
    public static final String AGENT_ROLE = "agent";
    public static final String TENANT = "tenant";
    public static final String HOSTNAME = "hostname";

    private static final String FIND = "select id, tenant, hostname, api_key_hash, revoked_at from agent where api_key_hash = $1";

    private final Pool pool;

    public AgentKeyIdentityProvider(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Class<AgentKeyAuthenticationRequest> getRequestType() {
        return AgentKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(AgentKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        String hash = ApiKeys.sha256Hex(request.key());
        return pool.preparedQuery(FIND).execute(Tuple.of(hash)).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            if (!found.hasNext()) {
                throw new AuthenticationFailedException("unknown agent API key");
            }
            Row agent = found.next();
            if (!ApiKeys.sameHash(agent.getString("api_key_hash"), hash) || agent.getValue("revoked_at") != null) {
                throw new AuthenticationFailedException("revoked agent API key");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(agent.getUUID("id").toString()))
                    .addRole(AGENT_ROLE)
                    .addAttribute(TENANT, agent.getString("tenant"))
                    .addAttribute(HOSTNAME, agent.getString("hostname"))
                    .build();
        });
    }
}
