package dev.rewind.runs.rest;

import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.tenant.CallerTenant;
import dev.rewind.runs.ApiToken;
import dev.rewind.runs.security.ApiTokenCache;
import dev.rewind.runs.service.ApiTokenService;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * API tokens for tools that report runs: minted and revoked by a tenant's admins with an OIDC token holding
 * {@code runs:write}. An API token itself is refused here (401): it works only under /v1/backup-runs.
 */
@Path("/v1/api-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API tokens")
public class ApiTokenResource {

    /** What a new token is for; the name is optional. */
    public record MintRequest(@Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String name) {
    }

    /** A new token: {@code token} is shown this once and never again (only its SHA-256 is kept). */
    public record MintedToken(String id, String name, String token, OffsetDateTime createdAt) {
    }

    /** A token as listed: never the token or its hash. */
    public record TokenView(String id, String name, String createdBy, OffsetDateTime createdAt, OffsetDateTime revokedAt) {

        static TokenView of(ApiToken token) {
            return new TokenView(token.id.toString(), token.name, token.createdBy, token.createdAt, token.revokedAt);
        }
    }

    private final ApiTokenService service;
    private final CallerTenant tenant;
    private final ApiTokenCache cache;

    public ApiTokenResource(ApiTokenService service, CallerTenant tenant, ApiTokenCache cache) {
        this.service = service;
        this.tenant = tenant;
        this.cache = cache;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("runs:write")
    @Operation(summary = "Mint an API token for the caller's tenant",
            description = "The token (rr_...) is in this answer only; store it. It authenticates on /v1/backup-runs/** "
                    + "with runs:read and runs:write, nowhere else. The body may be empty.")
    @APIResponse(responseCode = "201", description = "The token, shown once")
    public Uni<RestResponse<MintedToken>> mint(@Valid MintRequest request) {
        String name = request == null || request.name() == null || request.name().isBlank() ? null : request.name().trim();
        return service.mint(tenant.id(), name, tenant.subject())
                .map(minted -> RestResponse.ResponseBuilder.<MintedToken>created(URI.create("/v1/api-tokens/" + minted.record().id))
                        .entity(new MintedToken(minted.record().id.toString(), minted.record().name, minted.token(),
                                minted.record().createdAt))
                        .build());
    }

    @GET
    @PermissionsAllowed("runs:write")
    @Operation(summary = "The tenant's API tokens, newest first (never the tokens themselves)")
    public Uni<List<TokenView>> list() {
        return service.list(tenant.id()).map(tokens -> tokens.stream().map(TokenView::of).toList());
    }

    @DELETE
    @Path("/{id}")
    @PermissionsAllowed("runs:write")
    @Operation(summary = "Revoke an API token", description = "The token answers 401 from the next request on.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "The tenant has no such token")
    public Uni<Void> revoke(@PathParam("id") String id) {
        UUID token = PathIds.uuid(id, "API token");
        // once committed: this replica forgets the token at once, before its own notification comes back
        return service.revoke(tenant.id(), token, tenant.subject()).invoke(() -> cache.invalidate(token));
    }
}
