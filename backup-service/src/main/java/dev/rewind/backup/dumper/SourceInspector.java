package dev.rewind.backup.dumper;

import dev.rewind.source.RegisteredSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** Reads a source's version and the schema of the tables a backup dumps, right before the dump. Blocking. */
public final class SourceInspector {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** Reaching the server and its greeting: a port where no MySQL server answers is given up on after this. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private SourceInspector() {
    }

    /**
     * @throws SQLException when the source cannot be reached or read (the caller words the error)
     * @throws DumpFailed   when a name to dump cannot be written as a file ({@link DumpNames})
     */
    public static SourceSnapshot inspect(RegisteredSource server, List<String> databases) throws SQLException {
        try (Connection connection = dev.rewind.source.SourceJdbc.connect(server.endpoint(), CONNECT_TIMEOUT, TIMEOUT)) {
            String version = SourceJdbc.version(connection);
            List<String> schemas = SourceJdbc.schemas(connection, databases);
            DumpNames.refuseUnsafe(connection, schemas);
            return new SourceSnapshot(version, SourceJdbc.kindOf(version), schemas, SourceJdbc.columns(connection, databases));
        }
    }
}
