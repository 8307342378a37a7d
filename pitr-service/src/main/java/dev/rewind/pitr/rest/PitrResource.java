package dev.rewind.pitr.rest;

import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.rest.QueryParams;
import dev.rewind.commons.tenant.CallerTenant;
import dev.rewind.pitr.service.PitrHistoryService;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The PITR history of shared/reference/backups-and-pitr-api.txt. */
@Path("/servers/{serverId}/pitr")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Point-in-time recovery")
public class PitrResource {

    static final Set<String> STATUSES = Set.of("running", "completed", "failed");

    private final PitrHistoryService service;
    private final CallerTenant tenant;

    public PitrResource(PitrHistoryService service, CallerTenant tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    @GET
    @PermissionsAllowed("backup:create")
    public Uni<List<PitrRunView>> history(@PathParam("serverId") String serverId, @QueryParam("status") String status,
            @QueryParam("limit") String limit) {
        return service.history(tenant.id(), PathIds.uuid(serverId, "server"), QueryParams.oneOf("status", status, STATUSES),
                        QueryParams.limit(limit, 50, 200))
                .map(runs -> runs.stream().map(PitrRunView::of).toList());
    }

    @GET
    @Path("/{pitrId}")
    @PermissionsAllowed("backup:create")
    public Uni<PitrRunView> get(@PathParam("serverId") String serverId, @PathParam("pitrId") String pitrId) {
        return service.get(tenant.id(), PathIds.uuid(serverId, "server"), PathIds.uuid(pitrId, "PITR run")).map(PitrRunView::of);
    }
}
