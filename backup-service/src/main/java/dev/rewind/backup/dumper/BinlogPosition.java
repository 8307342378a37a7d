package dev.rewind.backup.dumper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The binlog coordinates of a dump's snapshot: what mydumper wrote under {@code SHOW MASTER STATUS:} in its
 * {@code metadata} file. The PITR baseline of the backup.
 */
public record BinlogPosition(String file, Long position, String gtidSet) {

    /** Reads mydumper 0.10's metadata file; absent values (binlog off) are null. */
    public static BinlogPosition fromMetadata(Path metadata) throws IOException {
        return parse(Files.readAllLines(metadata));
    }

    static BinlogPosition parse(List<String> lines) {
        String file = null;
        Long position = null;
        StringBuilder gtid = null;
        boolean inMaster = false;
        boolean inGtid = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("SHOW MASTER STATUS")) {
                inMaster = true;
                continue;
            }
            if (!inMaster) {
                continue;
            }
            if (line.isEmpty() || line.startsWith("SHOW ") || line.startsWith("Finished dump")) {
                break; // end of the master block (a SHOW SLAVE STATUS block may follow)
            }
            if (line.startsWith("Log:")) {
                file = value(line);
                inGtid = false;
            } else if (line.startsWith("Pos:")) {
                String pos = value(line);
                position = pos.isEmpty() ? null : Long.valueOf(pos);
                inGtid = false;
            } else if (line.startsWith("GTID:")) {
                gtid = new StringBuilder(value(line));
                inGtid = true;
            } else if (inGtid) {
                gtid.append(line); // a long MySQL GTID set continues on the next lines
            }
        }
        String gtidSet = gtid == null || gtid.isEmpty() ? null : gtid.toString();
        return new BinlogPosition(file == null || file.isEmpty() ? null : file, position, gtidSet);
    }

    private static String value(String line) {
        return line.substring(line.indexOf(':') + 1).strip();
    }
}
