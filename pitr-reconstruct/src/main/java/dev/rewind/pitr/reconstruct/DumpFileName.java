package dev.rewind.pitr.reconstruct;

/**
 * What a file of a mydumper 0.10 dump is, from its name alone (so an S3 listing can be sorted
 * out without reading): {@code metadata}, {@code db-schema-create.sql}, {@code db.t-schema.sql},
 * {@code db.t.sql} / {@code db.t.00003.sql} (data), views, triggers, post (routines/events);
 * each possibly {@code .gz}.
 *
 * @param chunk the data chunk number, -1 for an unchunked data file or a non-data file
 */
public record DumpFileName(Kind kind, String database, String table, int chunk, boolean gzip) {

    public enum Kind { METADATA, SCHEMA_CREATE, TABLE_SCHEMA, DATA, VIEW_SCHEMA, TRIGGERS, POST, OTHER }

    public static DumpFileName parse(String fileName) {
        String n = fileName;
        int slash = n.lastIndexOf('/');
        if (slash >= 0) {
            n = n.substring(slash + 1);
        }
        if (n.equals("metadata")) {
            return new DumpFileName(Kind.METADATA, null, null, -1, false);
        }
        boolean gz = n.endsWith(".gz");
        if (gz) {
            n = n.substring(0, n.length() - 3);
        }
        if (!n.endsWith(".sql")) {
            return new DumpFileName(Kind.OTHER, null, null, -1, gz);
        }
        n = n.substring(0, n.length() - 4);
        if (n.endsWith("-schema-create")) {
            return new DumpFileName(Kind.SCHEMA_CREATE, n.substring(0, n.length() - 14), null, -1, gz);
        }
        if (n.endsWith("-schema-post")) {
            return new DumpFileName(Kind.POST, n.substring(0, n.length() - 12), null, -1, gz);
        }
        Kind kind = Kind.DATA;
        for (String[] suffix : new String[][] {{"-schema-view", "VIEW_SCHEMA"}, {"-schema-triggers", "TRIGGERS"},
                {"-schema", "TABLE_SCHEMA"}}) {
            if (n.endsWith(suffix[0])) {
                n = n.substring(0, n.length() - suffix[0].length());
                kind = Kind.valueOf(suffix[1]);
                break;
            }
        }
        int dot = n.indexOf('.');
        if (dot <= 0) {
            return new DumpFileName(Kind.OTHER, null, null, -1, gz);
        }
        String db = n.substring(0, dot);
        String table = n.substring(dot + 1);
        int chunk = -1;
        if (kind == Kind.DATA) {
            int last = table.lastIndexOf('.');
            if (last > 0 && table.substring(last + 1).chars().allMatch(Character::isDigit) && last + 1 < table.length()) {
                chunk = Integer.parseInt(table.substring(last + 1));
                table = table.substring(0, last);
            }
        }
        return new DumpFileName(kind, db, table, chunk, gz);
    }
}
