package dev.rewind.agent.service;

import dev.rewind.agent.Agent;
import dev.rewind.agent.RegistrationToken;
import dev.rewind.agent.config.AgentGatewayConfig;
import dev.rewind.agent.repository.AgentRepository;
import dev.rewind.agent.repository.RegistrationTokenRepository;
import dev.rewind.agent.rest.AgentMessages.RegisterRequest;
import dev.rewind.agent.security.ApiKeys;
import dev.rewind.commons.audit.Audit;
import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Registration tokens (minted by admins, single use, expiring) and the registration of agents with them. */
@ApplicationScoped
public class RegistrationService {

    /** A token just minted: the clear token exists only in this answer. */
    public record MintedToken(RegistrationToken token, String clearToken) {
    }

    /** An agent just registered: the clear API key exists only in this answer. */
    public record RegisteredAgent(Agent agent, String apiKey) {
    }

    private final RegistrationTokenRepository tokens;
    private final AgentRepository agents;
    private final AgentConfigService configs;
    private final Audit audit;
    private final AgentGatewayConfig config;

    public RegistrationService(RegistrationTokenRepository tokens, AgentRepository agents, AgentConfigService configs,
            Audit audit, AgentGatewayConfig config) {
        this.tokens = tokens;
        this.agents = agents;
        this.configs = configs;
        this.audit = audit;
        this.config = config;
    }

    @WithTransaction
    public Uni<MintedToken> mint(String tenant, String actor, Integer expiresInHours, String description) {
        Duration ttl = expiresInHours == null ? config.registrationTokenTtl() : Duration.ofHours(expiresInHours);
        if (ttl.compareTo(config.registrationTokenMaxTtl()) > 0) {
            throw ProblemException.invalid("expiresInHours may be at most " + config.registrationTokenMaxTtl().toHours(),
                    List.of(new Problem.FieldError("expiresInHours", "must be at most " + config.registrationTokenMaxTtl().toHours())));
        }
        String clear = ApiKeys.newRegistrationToken();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        RegistrationToken token = new RegistrationToken();
        token.id = UUID.randomUUID();
        token.tenant = tenant;
        token.tokenHash = ApiKeys.sha256Hex(clear);
        token.description = description;
        token.createdBy = actor;
        token.createdAt = now;
        token.expiresAt = now.plus(ttl);
        return tokens.persist(token)
                .call(saved -> audit.record(tenant, actor, "agent.registration_token.created", "registration_token",
                        saved.id.toString(), Map.of("expires_at", saved.expiresAt.toString())))
                .map(saved -> new MintedToken(saved, clear));
    }

    @WithSession
    public Uni<List<RegistrationToken>> list(String tenant, dev.rewind.commons.rest.PageCursor after, int limit) {
        return tokens.pageForTenant(tenant, after, limit);
    }

    /** Revokes an unused token; revoking twice is harmless, a used token can no longer be revoked (409). */
    @WithTransaction
    public Uni<RegistrationToken> revoke(String tenant, String actor, UUID id) {
        return tokens.findForTenant(tenant, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No registration token " + id))
                .chain(token -> {
                    if (token.usedAt != null) {
                        return Uni.createFrom().failure(ProblemException.conflict("Registration token " + id + " was already used"));
                    }
                    if (token.revokedAt != null) {
                        return Uni.createFrom().item(token);
                    }
                    token.revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return audit.record(tenant, actor, "agent.registration_token.revoked", "registration_token", id.toString(), Map.of())
                            .replaceWith(token);
                });
    }

    /**
     * Registers an agent with a registration token: the token is claimed in the database (a second use fails even
     * when both race), the agent gets a new API key of which only the SHA-256 is stored.
     */
    @WithTransaction
    public Uni<RegisteredAgent> register(RegisterRequest request) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        UUID agentId = UUID.randomUUID();
        return tokens.findByHash(ApiKeys.sha256Hex(request.registrationToken()))
                .chain(token -> {
                    if (token == null || token.usedAt != null || token.revokedAt != null || !token.expiresAt.isAfter(now)) {
                        return Uni.createFrom().failure(invalidToken());
                    }
                    return tokens.claim(token.id, agentId, now).chain(claimed -> claimed == 1
                            ? create(agentId, token, request, now)
                            : Uni.createFrom().failure(invalidToken()));
                });
    }

    private Uni<RegisteredAgent> create(UUID agentId, RegistrationToken token, RegisterRequest request, OffsetDateTime now) {
        String apiKey = ApiKeys.newApiKey();
        Agent agent = new Agent();
        agent.id = agentId;
        agent.tenant = token.tenant;
        agent.hostname = request.hostname();
        agent.os = request.os();
        agent.arch = request.arch();
        agent.agentVersion = request.agentVersion();
        agent.apiKeyHash = ApiKeys.sha256Hex(apiKey);
        agent.status = "registered";
        agent.discoveredDatabases = "[]";
        agent.createdAt = now;
        agent.registrationTokenId = token.id;
        return agents.persist(agent)
                .call(saved -> configs.refreshAgent(saved.id, saved.tenant))
                .call(saved -> audit.record(saved.tenant, "agent:" + saved.id, "agent.registered", "agent", saved.id.toString(),
                        Map.of("hostname", saved.hostname, "registration_token_id", token.id.toString())))
                .map(saved -> new RegisteredAgent(saved, apiKey));
    }

    private static ProblemException invalidToken() {
        return new ProblemException(new Problem("Unauthorized", 401,
                "The registration token is not valid: unknown, expired, revoked or already used"));
    }
}
