package dev.rewind.runs.service;

import dev.rewind.commons.audit.Audit;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.runs.ApiToken;
import dev.rewind.runs.repository.ApiTokenRepository;
import dev.rewind.runs.security.ApiTokens;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Minting and revoking a tenant's API tokens; both are audited. */
@ApplicationScoped
public class ApiTokenService {

    private static final String ENTITY = "api_token";

    private final ApiTokenRepository tokens;
    private final Audit audit;

    public ApiTokenService(ApiTokenRepository tokens, Audit audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    /** A new token and its stored record; the token itself exists only in this answer. */
    public record Minted(ApiToken record, String token) {
    }

    @WithTransaction
    public Uni<Minted> mint(String tenant, String name, String actor) {
        ApiToken record = new ApiToken();
        record.id = UUID.randomUUID();
        String token = ApiTokens.mint(record.id);
        record.tenant = tenant;
        record.name = name;
        record.tokenHash = ApiTokens.sha256(token);
        record.createdBy = actor;
        record.createdAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS); // as stored
        Map<String, Object> details = new HashMap<>();
        details.put("name", name);
        return tokens.persist(record)
                .call(() -> audit.record(tenant, actor, "api_token.created", ENTITY, record.id.toString(), details))
                .map(stored -> new Minted(stored, token));
    }

    @WithSession
    public Uni<List<ApiToken>> list(String tenant) {
        return tokens.listOf(tenant);
    }

    /**
     * Revokes the token (again: no change); 404 when the tenant has no such token. Every replica hears of it when
     * the transaction commits (PostgreSQL NOTIFY) and drops the token from its cache.
     */
    @WithTransaction
    public Uni<Void> revoke(String tenant, UUID id, String actor) {
        return tokens.find(tenant, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No API token " + id))
                .chain(token -> {
                    if (token.revokedAt != null) {
                        return Uni.createFrom().voidItem();
                    }
                    token.revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return tokens.notifyRevoked(id)
                            .chain(() -> audit.record(tenant, actor, "api_token.revoked", ENTITY, id.toString(),
                                    Map.of("name", token.name == null ? "" : token.name)));
                });
    }
}
