package dev.rewind.pitr.rest;

import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.tenant.CallerTenant;
import dev.rewind.pitr.service.CoverageService;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The PITR coverage window of shared/reference/backups-and-pitr-api.txt, with gaps and baselines. */
@Path("/servers/{serverId}/pitr/coverage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Point-in-time recovery")
public class CoverageResource {

    private final CoverageService service;
    private final CallerTenant tenant;

    public CoverageResource(CoverageService service, CallerTenant tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    @GET
    @PermissionsAllowed("backup:create")
    public Uni<CoverageView> coverage(@PathParam("serverId") String serverId) {
        return service.coverage(tenant.id(), PathIds.uuid(serverId, "server")).map(CoverageView::of);
    }
}
