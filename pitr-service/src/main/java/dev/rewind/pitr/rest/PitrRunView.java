package dev.rewind.pitr.rest;

import dev.rewind.pitr.PitrRun;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A PITR run, in the shape of the reference, plus two fields of Rewind's own: the baseline backup the run started
 * from, and the notes it made (gaps allowed, tables matched on full rows, inconsistencies between baseline and events).
 */
public record PitrRunView(UUID id, UUID serverId, String serverName, OffsetDateTime targetTime, String tablesFilter,
        String status, String phase, String s3Path, Long sizeBytes, Integer fileCount, Long durationMs,
        String errorMessage, OffsetDateTime startedAt, OffsetDateTime completedAt, UUID baselineBackupId, boolean allowGaps,
        List<String> notes) {

    public static PitrRunView of(PitrRun r) {
        return new PitrRunView(r.id, r.serverId, r.serverName, r.targetTime, r.tablesFilter, r.status, r.phase, r.s3Path,
                r.sizeBytes, r.fileCount, r.durationMs, r.errorMessage, r.startedAt, r.completedAt, r.baselineBackupId,
                r.allowGaps, r.notes == null ? List.of() : List.of(r.notes.split("\n")));
    }
}
