package dev.rewind.backup.dumper;

import dev.rewind.backup.client.ServerConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** Reads a source's version and the schema of the tables a backup dumps, right before the dump. Blocking. */
public final class SourceInspector {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private SourceInspector() {
    }

    /** @throws SQLException when the source cannot be reached or read (the caller words the error) */
    public static SourceSnapshot inspect(ServerConnection server, List<String> databases) throws SQLException {
        try (Connection connection = SourceJdbc.connect(server.host(), server.port(), server.username(), server.password(),
                TIMEOUT)) {
            String version = SourceJdbc.version(connection);
            return new SourceSnapshot(version, SourceJdbc.kindOf(version), SourceJdbc.schemas(connection, databases),
                    SourceJdbc.columns(connection, databases));
        }
    }
}
