package dev.rewind.pitr.index;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/** The daily partitions of row_event ({@code row_event_pYYYYMMDD}, UTC days), created before the first event of a day. */
public final class Partitions {

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Set<LocalDate> KNOWN = ConcurrentHashMap.newKeySet();

    private Partitions() {
    }

    public static String name(LocalDate day) {
        return "row_event_p" + SUFFIX.format(day);
    }

    /** Creates the partition of {@code day} unless it exists; in its own transaction (it locks the parent table briefly). */
    public static void ensure(DataSource dataSource, LocalDate day) throws SQLException {
        if (KNOWN.contains(day)) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            try {
                s.execute("create table if not exists " + name(day) + " partition of row_event for values from ('"
                        + day + "') to ('" + day.plusDays(1) + "')");
            } catch (SQLException e) {
                // another replica created it at the same moment
                if (!"42P07".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
        KNOWN.add(day);
    }

    /** Forgets what was created (after partitions were dropped). */
    public static void forget(LocalDate day) {
        KNOWN.remove(day);
    }
}
