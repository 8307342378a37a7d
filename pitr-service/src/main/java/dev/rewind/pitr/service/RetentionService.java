package dev.rewind.pitr.service;

import dev.rewind.pitr.config.PitrConfig;
import dev.rewind.pitr.index.Partitions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention of the row-event index: drops whole daily partitions older than the retention, but never one holding
 * events newer than the oldest baseline still present — PITR from that baseline needs every event after it.
 */
@ApplicationScoped
public class RetentionService {

    private final AgroalDataSource dataSource;
    private final PitrConfig config;

    public RetentionService(AgroalDataSource dataSource, PitrConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** Drops what retention allows; answers the partitions dropped. Blocking. */
    public List<String> prune() throws SQLException {
        LocalDate cutoff = LocalDate.now(ZoneOffset.UTC).minusDays(config.retention().days());
        List<String> dropped = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select (min(completed_at) at time zone 'UTC')::date from baseline where deleted_at is null")) {
                if (rs.next() && rs.getDate(1) != null) {
                    LocalDate oldestBaseline = rs.getDate(1).toLocalDate();
                    if (oldestBaseline.isBefore(cutoff)) {
                        cutoff = oldestBaseline; // the baseline's day and later stay
                    }
                }
            }
            List<String> partitions = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select c.relname from pg_inherits i "
                    + "join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'row_event'")) {
                while (rs.next()) {
                    partitions.add(rs.getString(1));
                }
            }
            for (String partition : partitions) {
                LocalDate day;
                try {
                    day = LocalDate.parse(partition.substring("row_event_p".length()), DateTimeFormatter.BASIC_ISO_DATE);
                } catch (RuntimeException e) {
                    continue;
                }
                if (day.isBefore(cutoff)) {
                    try (Statement s = c.createStatement()) {
                        s.execute("drop table " + Partitions.name(day));
                    }
                    try (PreparedStatement ps = c.prepareStatement("delete from row_event_day where day = ?")) {
                        ps.setObject(1, day);
                        ps.executeUpdate();
                    }
                    Partitions.forget(day);
                    dropped.add(partition);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("delete from binlog_transaction where commit_time < ?")) {
                ps.setObject(1, cutoff.atStartOfDay().atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
        }
        if (!dropped.isEmpty()) {
            Log.infof("index retention dropped %s", dropped);
        }
        return dropped;
    }
}
