package dev.rewind.backup.rest;

import dev.rewind.backup.schedule.CronSchedule;
import dev.rewind.backup.service.ScheduleService;
import dev.rewind.backup.service.ScheduleService.ScheduleChange;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.tenant.CallerTenant;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** /backup/schedules of shared/reference/backups-and-pitr-api.txt: 5-field cron in UTC, retention 1–365 days. */
@Path("/backup/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Backup schedules")
public class ScheduleResource {

    private final ScheduleService service;
    private final CallerTenant caller;

    public ScheduleResource(ScheduleService service, CallerTenant caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @PermissionsAllowed("backup:create")
    public Uni<List<ScheduleView>> list() {
        return service.list(caller.id()).map(list -> list.stream().map(ScheduleView::of).toList());
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed("backup:create")
    public Uni<ScheduleView> get(@PathParam("id") String id) {
        return service.get(caller.id(), PathIds.uuid(id, "backup schedule")).map(ScheduleView::of);
    }

    @POST
    @PermissionsAllowed("backup:create")
    public Uni<Response> create(ScheduleRequest body, @Context UriInfo uri) {
        if (body == null) {
            throw ProblemException.badRequest("A JSON body with server_id and schedule_cron is required");
        }
        Validation check = new Validation();
        UUID serverId = check.uuid("server_id", body.serverId(), true);
        cron(check, body.scheduleCron(), true);
        fields(check, body);
        check.throwIfInvalid();
        String tenant = caller.id();
        return service.create(tenant, caller.subject(), change(serverId, body))
                .map(created -> Response.created(uri.getAbsolutePathBuilder().path(created.schedule().id.toString()).build())
                        .entity(ScheduleView.of(created)).build());
    }

    @PATCH
    @Path("/{id}")
    @PermissionsAllowed("backup:create")
    public Uni<ScheduleView> update(@PathParam("id") String id, ScheduleRequest body) {
        UUID scheduleId = PathIds.uuid(id, "backup schedule");
        if (body == null) {
            throw ProblemException.badRequest("A JSON body with the fields to change is required");
        }
        Validation check = new Validation();
        if (body.serverId() != null) {
            check.error("server_id", "cannot be changed; create a schedule for the other server");
        }
        cron(check, body.scheduleCron(), false);
        fields(check, body);
        check.throwIfInvalid();
        String tenant = caller.id();
        return service.update(tenant, caller.subject(), scheduleId, change(null, body)).map(ScheduleView::of);
    }

    @DELETE
    @Path("/{id}")
    @PermissionsAllowed("backup:create")
    public Uni<Response> delete(@PathParam("id") String id) {
        UUID scheduleId = PathIds.uuid(id, "backup schedule");
        String tenant = caller.id();
        return service.delete(tenant, caller.subject(), scheduleId).replaceWith(Response.noContent().build());
    }

    /** The column's width (backup_schedule.schedule_cron). */
    static final int MAX_CRON_CHARS = 100;

    private static void cron(Validation check, String cron, boolean required) {
        if (cron == null && !required) {
            return;
        }
        if (cron != null && cron.trim().length() > MAX_CRON_CHARS) {
            check.error("schedule_cron", "must be at most " + MAX_CRON_CHARS + " characters");
            return;
        }
        try {
            CronSchedule.parse(cron);
        } catch (IllegalArgumentException e) {
            check.error("schedule_cron", e.getMessage());
        }
    }

    private static void fields(Validation check, ScheduleRequest body) {
        check.backupTool(body.backupTool());
        check.range("retention_days", body.retentionDays(), 1, 365);
        check.range("retention_count", body.retentionCount(), 1, 1000);
        check.s3Prefix(body.s3Prefix());
        check.databases(body.databases());
    }

    private static ScheduleChange change(UUID serverId, ScheduleRequest body) {
        return new ScheduleChange(serverId, body.scheduleCron(), body.backupTool(), body.retentionDays(),
                body.retentionCount(), body.s3Prefix(), body.databases(), body.enabled(), body.verify());
    }
}
