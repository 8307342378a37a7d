package dev.rewind.pitr.binlog;

import java.time.Instant;
import java.util.List;

/**
 * One committed transaction of the source as the parser hands it to the writer.
 *
 * @param file       the binlog file its events are in
 * @param end        the position right after its last event (XID, COMMIT or the DDL itself): where to resume after it
 * @param gtid       its GTID (MySQL {@code uuid:n}, MariaDB {@code domain-server-seq}); null when GTIDs are off
 * @param commitTime its commit time (MySQL 8: the original commit timestamp in microseconds; MariaDB: the commit
 *                   event's header, in seconds)
 * @param rows       its row changes, in binlog order (empty for DDL)
 * @param snapshot   for DDL: the schema snapshot taken right after it; otherwise null
 */
public record SourceTransaction(String file, long end, String gtid, Instant commitTime, List<RowChange> rows,
        SchemaSnapshot snapshot, String ddl) {

    public long endSeq() {
        return BinlogPosition.seq(file, end);
    }
}
