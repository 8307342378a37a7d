package dev.rewind.pitr.rest;

import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.rest.QueryParams;
import dev.rewind.commons.tenant.CallerTenant;
import dev.rewind.pitr.run.PitrRunner;
import dev.rewind.pitr.run.PitrStorage;
import dev.rewind.pitr.service.PitrHistoryService;
import dev.rewind.pitr.service.PitrRunService;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The PITR history of shared/reference/backups-and-pitr-api.txt. */
@Path("/servers/{serverId}/pitr")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Point-in-time recovery")
public class PitrResource {

    static final Set<String> STATUSES = Set.of("running", "completed", "failed");

    private final PitrHistoryService service;
    private final PitrRunService runs;
    private final PitrRunner runner;
    private final PitrStorage storage;
    private final CallerTenant tenant;
    private final dev.rewind.pitr.repository.IndexRepository index;

    /** How long a GTID or position target may wait for the stream to index it before it is judged. */
    static final java.time.Duration PLACE_PATIENCE = java.time.Duration.ofSeconds(10);

    public PitrResource(PitrHistoryService service, PitrRunService runs, PitrRunner runner, PitrStorage storage,
            CallerTenant tenant, dev.rewind.pitr.repository.IndexRepository index) {
        this.index = index;
        this.service = service;
        this.runs = runs;
        this.runner = runner;
        this.storage = storage;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("backup:create")
    @APIResponse(responseCode = "202", description = "The run started; follow it with GET /servers/{id}/pitr/{pitr_id}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PitrAccepted.class)))
    @APIResponse(responseCode = "409", description = "A PITR run of this server is already running")
    @APIResponse(responseCode = "422", description = "The target is outside the coverage window, in the future, before the "
            + "oldest baseline, or names a table the server does not have")
    public Uni<Response> start(@PathParam("serverId") String serverId, PitrRequest body) {
        UUID server = PathIds.uuid(serverId, "server");
        PitrRequest.Checked request = PitrRequest.check(body);
        String caller = tenant.id();
        // a place just committed on the source: the stream indexes it within moments
        Uni<Void> indexed = request.place() == null ? Uni.createFrom().voidItem()
                : index.awaitIndexed(server, request.place(), PLACE_PATIENCE);
        return indexed.chain(() -> runs.start(caller, server, request.target(), request.place(), request.tables(),
                        request.allowGaps(), runner.instance(), storage.uri("")))
                .invoke(accepted -> runner.submit(accepted.plan()))
                .map(accepted -> Response.accepted(new PitrAccepted(accepted.run().id, accepted.run().status)).build());
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
