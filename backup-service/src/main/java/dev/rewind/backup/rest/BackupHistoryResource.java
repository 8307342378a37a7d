package dev.rewind.backup.rest;

import dev.rewind.backup.repository.BackupRepository.HistoryFilter;
import dev.rewind.backup.service.BackupHistoryService;
import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.rest.QueryParams;
import dev.rewind.commons.tenant.CallerTenant;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** GET /backup/history of shared/reference/backups-and-pitr-api.txt. */
@Path("/backup/history")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Backup history")
public class BackupHistoryResource {

    static final Set<String> STATUSES = Set.of("queued", "running", "completed", "failed", "deleted", "expired");

    private final BackupHistoryService service;
    private final CallerTenant tenant;

    public BackupHistoryResource(BackupHistoryService service, CallerTenant tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    @GET
    @PermissionsAllowed("backup:create")
    public Uni<List<BackupView>> history(@QueryParam("server_id") String serverId, @QueryParam("status") String status,
            @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("limit") String limit) {
        OffsetDateTime from = QueryParams.time("since", since);
        OffsetDateTime to = QueryParams.time("until", until);
        QueryParams.range(from, to);
        HistoryFilter filter = new HistoryFilter(QueryParams.uuid("server_id", serverId),
                QueryParams.oneOf("status", status, STATUSES), from, to, QueryParams.limit(limit, 50, 200));
        return service.history(tenant.id(), filter).map(list -> list.stream().map(BackupView::of).toList());
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed("backup:create")
    public Uni<BackupView> get(@PathParam("id") String id) {
        return service.get(tenant.id(), PathIds.uuid(id, "backup")).map(entry -> BackupView.of(entry.backup(), entry.checks()));
    }

    /** Removes the backup's S3 objects and marks the entry deleted (audited); 409 while it runs. */
    @DELETE
    @Path("/{id}")
    @PermissionsAllowed("backup:delete")
    public Uni<Response> delete(@PathParam("id") String id) {
        UUID backupId = PathIds.uuid(id, "backup");
        String caller = tenant.id();
        return service.delete(caller, tenant.subject(), backupId).replaceWith(Response.noContent().build());
    }
}
