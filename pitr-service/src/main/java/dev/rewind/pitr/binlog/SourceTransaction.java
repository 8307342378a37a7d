package dev.rewind.pitr.binlog;

import java.time.Instant;
import java.util.List;

/**
 * One committed transaction of the source as the parser hands it to the writer — or, for a transaction too large to
 * hold in memory, one chunk of it.
 *
 * <p>A large transaction reaches the writer as chunks ({@code complete == false}, no commit time yet) followed by its
 * completion ({@code complete == true}) holding the rest of its rows and {@code spilledRows}, how many went ahead in
 * chunks. The writer parks chunks where no reader looks and moves them into the index in the transaction that writes
 * the completion and the checkpoint, so a half-read transaction is never part of a PITR or of row history.
 *
 * @param file        the binlog file its events are in
 * @param end         the position right after its last event (XID, COMMIT or the DDL itself): where to resume after
 *                    it; for a chunk, the position after its last rows event
 * @param gtid        its GTID (MySQL {@code uuid:n}, MariaDB {@code domain-server-seq}); null when GTIDs are off
 * @param commitTime  its commit time (MySQL 8: the original commit timestamp in microseconds; MariaDB: the commit
 *                    event's header, in seconds); null for a chunk
 * @param rows        its row changes (of this chunk), in binlog order (empty for DDL)
 * @param snapshot    for DDL: the schema snapshot taken right after it; otherwise null
 * @param ddl         for DDL: the statement; otherwise null
 * @param complete    false for a chunk of a transaction whose commit is still to come
 * @param spilledRows on a completion: the rows of the transaction written before in chunks
 * @param bytes       an estimate of the memory the rows hold, for the ingest budget
 */
public record SourceTransaction(String file, long end, String gtid, Instant commitTime, List<RowChange> rows,
        SchemaSnapshot snapshot, Ddl ddl, boolean complete, long spilledRows, long bytes) {

    /**
     * A DDL statement as the binlog carries it.
     *
     * @param database  the session's default database when it ran (unqualified table names are in it); may be empty
     * @param statement the statement
     * @param ranAt     when it started (the QUERY event's timestamp, whole seconds): the time CURRENT_TIMESTAMP had
     */
    public record Ddl(String database, String statement, Instant ranAt) {
    }

    /** A whole transaction, read in one piece. */
    public SourceTransaction(String file, long end, String gtid, Instant commitTime, List<RowChange> rows,
            SchemaSnapshot snapshot, Ddl ddl) {
        this(file, end, gtid, commitTime, rows, snapshot, ddl, true, 0, estimate(rows));
    }

    public long endSeq() {
        return BinlogPosition.seq(file, end);
    }

    /** All rows of the transaction: those of this piece and those spilled before it. */
    public long totalRows() {
        return rows.size() + spilledRows;
    }

    public static long estimate(List<RowChange> rows) {
        long bytes = 0;
        for (RowChange r : rows) {
            bytes += r.estimatedBytes();
        }
        return bytes;
    }
}
