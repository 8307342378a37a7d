package dev.rewind.pitr.run;

import dev.rewind.pitr.binlog.SchemaSnapshot;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an accepted PITR run is to do, fixed when it was accepted.
 *
 * @param tables     the {@code schema.table} names to rebuild
 * @param allTables  true when the request named none: tables of databases the baseline does not hold are skipped
 *                   (and noted) instead of failing the run
 * @param schema     the server's schema snapshot at the target, by {@code schema.table}
 * @param s3Path     where the output goes, {@code s3://bucket/pitr/tenant/server/target/date/time/}
 * @param targetSeq  the last binlog place included (a GTID or position target); {@link Long#MAX_VALUE} for a time
 * @param place      the GTID or position target as asked, for the run's notes; null for a time
 */
public record PitrPlan(UUID runId, String tenant, UUID serverId, OffsetDateTime target, List<String> tables, boolean allTables,
        boolean allowGaps, Baseline baseline, Map<String, SchemaSnapshot.Table> schema, String s3Path, long targetSeq,
        String place) {

    public PitrPlan(UUID runId, String tenant, UUID serverId, OffsetDateTime target, List<String> tables, boolean allTables,
            boolean allowGaps, Baseline baseline, Map<String, SchemaSnapshot.Table> schema, String s3Path) {
        this(runId, tenant, serverId, target, tables, allTables, allowGaps, baseline, schema, s3Path, Long.MAX_VALUE, null);
    }

    /** The backup the run starts from. */
    public record Baseline(UUID backupId, String s3Path, String binlogFile, long binlogPosition, OffsetDateTime completedAt) {
    }
}
