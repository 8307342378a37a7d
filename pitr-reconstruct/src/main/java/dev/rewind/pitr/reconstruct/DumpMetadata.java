package dev.rewind.pitr.reconstruct;

import java.util.Locale;

/**
 * The {@code metadata} file of a mydumper 0.10 dump: when it ran and the source's binlog
 * position (file, position, GTID set) the dump is consistent with. Any part may be null.
 */
public record DumpMetadata(String startedAt, String binlogFile, Long binlogPosition, String gtidSet,
                           String finishedAt) {

    /** Parses the text of a {@code metadata} file (the SHOW MASTER STATUS section). */
    public static DumpMetadata parse(String text) {
        String started = null, finished = null, file = null, gtid = null;
        Long pos = null;
        boolean master = false;
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (t.startsWith("Started dump at:")) {
                started = t.substring("Started dump at:".length()).trim();
            } else if (t.startsWith("Finished dump at:")) {
                finished = t.substring("Finished dump at:".length()).trim();
            } else if (t.toUpperCase(Locale.ROOT).startsWith("SHOW MASTER STATUS")) {
                master = true;
            } else if (t.toUpperCase(Locale.ROOT).startsWith("SHOW SLAVE STATUS")) {
                master = false;
            } else if (master && t.startsWith("Log:")) {
                file = t.substring(4).trim();
            } else if (master && t.startsWith("Pos:")) {
                pos = Long.parseLong(t.substring(4).trim());
            } else if (master && t.startsWith("GTID:")) {
                gtid = t.substring(5).trim();
                if (gtid.isEmpty()) {
                    gtid = null;
                }
            }
        }
        return new DumpMetadata(started, file, pos, gtid, finished);
    }

    /** The text of a {@code metadata} file in mydumper's layout. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (startedAt != null) {
            sb.append("Started dump at: ").append(startedAt).append('\n');
        }
        if (binlogFile != null || binlogPosition != null || gtidSet != null) {
            sb.append("SHOW MASTER STATUS:\n");
            sb.append("\tLog: ").append(binlogFile == null ? "" : binlogFile).append('\n');
            sb.append("\tPos: ").append(binlogPosition == null ? "" : binlogPosition).append('\n');
            sb.append("\tGTID:").append(gtidSet == null ? "" : gtidSet).append('\n');
        }
        sb.append('\n');
        if (finishedAt != null) {
            sb.append("Finished dump at: ").append(finishedAt).append('\n');
        }
        return sb.toString();
    }
}
