package dev.rewind.backup.dumper;

import java.nio.file.Path;
import java.util.List;

/** What a finished dump left in its folder: the files to upload, the snapshot's binlog position, rows per table. */
public record DumpResult(Path directory, List<Path> files, BinlogPosition binlog, List<TableRows> tables) {

    /** Rows of one table found in the dump. */
    public record TableRows(String schema, String table, long rows) {
    }
}
