package dev.rewind.backup.dumper;

import java.util.List;
import java.util.Map;

/**
 * What the source said about itself when the dump started: its version (and so its kind, {@code mariadb} or
 * {@code mysql}), the schemas to dump (those asked for that exist, or every user schema) and the columns of every table to be dumped, keyed by {@code schema.table}. The restore
 * verification compares the restored tables with these.
 */
public record SourceSnapshot(String version, String kind, List<String> schemas, Map<String, List<SourceJdbc.Column>> columns) {
}
