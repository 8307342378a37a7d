package dev.rewind.agent.rest;

import dev.rewind.agent.rest.AdminMessages.MintTokenRequest;
import dev.rewind.agent.rest.AdminMessages.MintedTokenView;
import dev.rewind.agent.rest.AdminMessages.TokenView;
import dev.rewind.agent.service.RegistrationService;
import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.tenant.CallerTenant;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One-time registration tokens: minted here, used once by {@code POST /api/v1/agent/register}. */
@Path("/api/v1/admin/registration-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Registration tokens (admin)")
public class RegistrationTokenResource {

    private final RegistrationService service;
    private final CallerTenant tenant;

    public RegistrationTokenResource(RegistrationService service, CallerTenant tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    @POST
    @PermissionsAllowed("agents:manage")
    @Operation(summary = "Mint a registration token (single use, expires after 24 h unless expiresInHours says otherwise); shown only here")
    public Uni<Response> mint(@Valid MintTokenRequest request, @Context UriInfo uri) {
        Integer hours = request == null ? null : request.expiresInHours();
        String description = request == null ? null : request.description();
        return service.mint(tenant.id(), tenant.subject(), hours, description).map(minted -> Response
                .created(uri.getAbsolutePathBuilder().path(minted.token().id.toString()).build())
                .entity(new MintedTokenView(minted.token().id, minted.clearToken(), minted.token().expiresAt))
                .build());
    }

    @GET
    @PermissionsAllowed("agents:manage")
    @Operation(summary = "The tenant's registration tokens (never the tokens themselves)",
            description = "Oldest first, at most limit (1 to 500, default 500) per page; when more follow, the response carries "
                    + "the next page's cursor in X-Next-Cursor and a Link rel=\"next\"")
    public Uni<org.jboss.resteasy.reactive.RestResponse<List<TokenView>>> list(
            @jakarta.ws.rs.QueryParam("limit") String limit, @jakarta.ws.rs.QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int size = dev.rewind.commons.rest.QueryParams.limit(limit, MAX_PAGE, MAX_PAGE);
        return service.list(tenant.id(), dev.rewind.commons.rest.PageCursor.decode(cursor), size + 1)
                .map(tokens -> dev.rewind.commons.rest.Pages.of(tokens, size,
                        t -> new dev.rewind.commons.rest.PageCursor(t.createdAt, t.id.toString()), t -> TokenView.of(t, now), uri));
    }

    /** The most tokens one page holds. */
    static final int MAX_PAGE = 500;

    @DELETE
    @Path("/{id}")
    @PermissionsAllowed("agents:manage")
    @Operation(summary = "Revoke an unused registration token")
    public Uni<Response> revoke(@PathParam("id") String id) {
        return service.revoke(tenant.id(), tenant.subject(), PathIds.uuid(id, "registration token"))
                .map(token -> Response.noContent().build());
    }
}
