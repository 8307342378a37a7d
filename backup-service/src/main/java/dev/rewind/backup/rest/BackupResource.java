package dev.rewind.backup.rest;

import dev.rewind.backup.service.BackupRequestService;
import dev.rewind.backup.service.BackupRunner;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.commons.tenant.CallerTenant;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** POST /backup of shared/reference/backups-and-pitr-api.txt: an on-demand full backup, rate limited per user. */
@Path("/backup")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Backups")
public class BackupResource {

    private final BackupRequestService service;
    private final BackupRunner runner;
    private final CallerTenant caller;

    public BackupResource(BackupRequestService service, BackupRunner runner, CallerTenant caller) {
        this.service = service;
        this.runner = runner;
        this.caller = caller;
    }

    @POST
    @PermissionsAllowed("backup:create")
    public Uni<Response> trigger(BackupRequest body, @Context UriInfo uri) {
        if (body == null) {
            throw ProblemException.badRequest("A JSON body with server_id is required");
        }
        Validation check = new Validation();
        UUID serverId = check.uuid("server_id", body.serverId(), true);
        check.databases(body.databases());
        check.backupTool(body.backupTool());
        check.throwIfInvalid();
        String tenant = caller.id();
        return service.request(tenant, caller.subject(), serverId, body.databases(), body.backupTool(),
                body.verify() == null || body.verify())
                .invoke(runner::nudge) // committed: this instance may start it now rather than at its next poll
                .map(backup -> Response.accepted(new BackupAccepted(backup.id, backup.status))
                        .location(uri.getBaseUriBuilder().path("backup/history/{id}").build(backup.id))
                        .build());
    }
}
