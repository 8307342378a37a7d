package dev.rewind.pitr.rest;

import dev.rewind.pitr.PitrRun;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A PITR run, in the shape of the reference. */
public record PitrRunView(UUID id, UUID serverId, String serverName, OffsetDateTime targetTime, String tablesFilter,
        String status, String phase, String s3Path, Long sizeBytes, Integer fileCount, Long durationMs,
        String errorMessage, OffsetDateTime startedAt, OffsetDateTime completedAt) {

    public static PitrRunView of(PitrRun r) {
        return new PitrRunView(r.id, r.serverId, r.serverName, r.targetTime, r.tablesFilter, r.status, r.phase, r.s3Path,
                r.sizeBytes, r.fileCount, r.durationMs, r.errorMessage, r.startedAt, r.completedAt);
    }
}
