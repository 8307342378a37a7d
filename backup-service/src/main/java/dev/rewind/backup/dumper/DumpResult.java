package dev.rewind.backup.dumper;

import java.nio.file.Path;
import java.util.List;

/** What a finished dump left in its folder: the files to upload, the snapshot's binlog position, rows per table. */
public record DumpResult(Path directory, List<Path> files, BinlogPosition binlog, List<TableRows> tables) {

    /** What went to S3: the files with size and SHA-256, and the rows per table counted on the way. */
    public record Shipment(List<dev.rewind.backup.storage.StoredFile> files, List<TableRows> tables) {
    }

    /** Rows of one table found in the dump. */
    public record TableRows(String schema, String table, long rows) {
    }
}
