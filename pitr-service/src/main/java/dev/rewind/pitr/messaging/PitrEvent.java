package dev.rewind.pitr.messaging;

import dev.rewind.commons.outbox.OutgoingEvent;
import dev.rewind.pitr.PitrRun;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The payload of pitr.started, pitr.completed and pitr.failed (deploy/events/schemas/pitr.*.json): the run as the API shows it. */
public record PitrEvent(UUID pitrId, UUID serverId, String tenant, String serverName, OffsetDateTime targetTime,
        String tablesFilter, boolean allowGaps, UUID baselineBackupId, String status, String phase, String s3Path,
        Long sizeBytes, Integer fileCount, Long durationMs, String errorMessage, OffsetDateTime startedAt,
        OffsetDateTime completedAt) {

    public static OutgoingEvent started(PitrRun run) {
        return of("pitr.started", run);
    }

    public static OutgoingEvent completed(PitrRun run) {
        return of("pitr.completed", run);
    }

    public static OutgoingEvent failed(PitrRun run) {
        return of("pitr.failed", run);
    }

    private static OutgoingEvent of(String type, PitrRun r) {
        return new OutgoingEvent(Topics.PITR, r.serverId.toString(), type, r.id.toString(), r.tenant,
                new PitrEvent(r.id, r.serverId, r.tenant, r.serverName, r.targetTime, r.tablesFilter, r.allowGaps,
                        r.baselineBackupId, r.status, r.phase, r.s3Path, r.sizeBytes, r.fileCount, r.durationMs,
                        r.errorMessage, r.startedAt, r.completedAt));
    }
}
