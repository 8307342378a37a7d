package dev.rewind.registry.check;

import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.registry.config.OnboardingConfig;
import dev.rewind.source.SourceAddresses;
import dev.rewind.source.SourceEndpoint;
import dev.rewind.source.SourceFailures;
import dev.rewind.source.SourceJdbc;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks once, before a server is accepted, that Rewind can stream and back it up: it connects as the given user
 * and reads the binlog settings ({@code log_bin} on, {@code binlog_format=ROW}, {@code binlog_row_image=FULL},
 * {@code binlog_row_metadata=FULL} where the server has it) and
 * the user's global grants (SELECT, REPLICATION SLAVE, and REPLICATION CLIENT — BINLOG MONITOR on MariaDB).
 * Anything missing is a 422 naming each missing setting or grant.
 *
 * <p>JDBC blocks, so the check runs on a worker thread and its outcome comes back on the caller's Vert.x context
 * (where the reactive session continues). Connecting and every query are bounded by
 * {@code rewind.onboarding.connection-check.timeout}.
 */
@ApplicationScoped
public class ConnectionCheck {

    /** {@code GRANT <privileges> ON <scope> TO ...}; role grants ({@code GRANT role TO user}) have no ON. */
    private static final Pattern GRANT = Pattern.compile("^GRANT (.+?) ON (\\S+) TO ", Pattern.CASE_INSENSITIVE);
    private static final String GLOBAL = "*.*";

    private final Vertx vertx;
    private final OnboardingConfig config;
    private final SourceAddresses addresses;

    public ConnectionCheck(Vertx vertx, OnboardingConfig config, SourceAddresses addresses) {
        this.vertx = vertx;
        this.config = config;
        this.addresses = addresses;
    }

    /**
     * Completes when the host (and the jump host, when given) may be a source's: for a server registered without the
     * connection check, whose names need not resolve yet (they are checked again at every connection). Fails with a
     * 422 problem naming the field.
     */
    public Uni<Void> allowed(String host, String jumpHost) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            List<Problem.FieldError> problems = new ArrayList<>();
            refusal(host).ifPresent(why -> problems.add(new Problem.FieldError("host", why)));
            if (jumpHost != null) {
                refusal(jumpHost).ifPresent(why -> problems.add(new Problem.FieldError("ssh_jump_host", why)));
            }
            return problems;
        })).chain(problems -> problems.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(new ProblemException(new Problem("about:blank", "Unprocessable Content", 422,
                        "Rewind may not connect there: " + problems.stream().map(Problem.FieldError::message)
                                .collect(Collectors.joining("; ")), problems))));
    }

    private java.util.Optional<String> refusal(String host) {
        try {
            addresses.checkIfResolvable(host);
            return java.util.Optional.empty();
        } catch (SourceAddresses.Refused e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /** Completes when the source is ready for Rewind; fails with a 422 problem naming what is not. */
    public Uni<Void> verify(SourceEndpoint source) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> findProblems(source)))
                .invoke(problems -> Log.infof("connection check of %s as '%s': %s", source.display(), source.username(),
                        problems.isEmpty() ? "ready" : "not ready: " + problems.stream().map(p -> p.field() + " " + p.message())
                                .collect(Collectors.joining("; "))))
                .chain(problems -> problems.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(unprocessable(source, problems)));
    }

    /** What keeps the source from being streamed; empty when nothing does. Blocking. */
    List<Problem.FieldError> findProblems(SourceEndpoint source) {
        String address;
        try {
            address = SourceAddresses.literal(addresses.check(source.host()));
        } catch (SourceAddresses.Refused e) {
            return List.of(new Problem.FieldError("host", e.getMessage()));
        }
        Connection connection;
        try {
            connection = connect(source, address);
        } catch (SQLException e) {
            return List.of(new Problem.FieldError("connection",
                    SourceFailures.cannotConnect(e, source)));
        }
        try (connection; Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(timeoutSeconds());
            List<Problem.FieldError> problems = new ArrayList<>();
            boolean mariadb;
            try (ResultSet rs = statement.executeQuery(
                    "SELECT VERSION(), @@global.log_bin, @@global.binlog_format, @@global.binlog_row_image")) {
                rs.next();
                mariadb = rs.getString(1).toLowerCase(Locale.ROOT).contains("mariadb");
                if (!isOn(rs.getString(2))) {
                    problems.add(new Problem.FieldError("log_bin", "is OFF; the binary log must be enabled"));
                }
                String format = rs.getString(3);
                if (!"ROW".equalsIgnoreCase(format)) {
                    problems.add(new Problem.FieldError("binlog_format", "is " + format + "; must be ROW"));
                }
                String image = rs.getString(4);
                if (!"FULL".equalsIgnoreCase(image)) {
                    problems.add(new Problem.FieldError("binlog_row_image", "is " + image + "; must be FULL"));
                }
            }
            // MySQL 8.0.1+ and MariaDB 10.5+: the column names in each TABLE_MAP, so a row logged before an ALTER TABLE
            // is read with the columns it had then (servers without the setting are read with the schema snapshots)
            try (ResultSet rs = statement.executeQuery("SHOW GLOBAL VARIABLES LIKE 'binlog_row_metadata'")) {
                if (rs.next() && !"FULL".equalsIgnoreCase(rs.getString(2))) {
                    problems.add(new Problem.FieldError("binlog_row_metadata", "is " + rs.getString(2) + "; must be FULL (the "
                            + "binlog then names each row's columns, which PITR needs to rebuild tables across ALTER TABLE)"));
                }
            }
            Set<String> granted = new HashSet<>();
            // SHOW GRANTS may print the password hash (MariaDB): the lines are parsed, never logged
            try (ResultSet rs = statement.executeQuery("SHOW GRANTS")) {
                while (rs.next()) {
                    granted.addAll(globalPrivileges(rs.getString(1)));
                }
            }
            for (String missing : missingGrants(granted, mariadb)) {
                problems.add(new Problem.FieldError("grants", "user '" + source.username() + "' lacks " + missing + " ON *.*"));
            }
            return problems;
        } catch (SQLException e) {
            return List.of(new Problem.FieldError("connection",
                    "connected to " + source.display() + " but could not read its settings: " + SourceFailures.describe(e, source)));
        }
    }

    /** Connects to the checked address (never to the name again: it could resolve elsewhere by now). */
    private Connection connect(SourceEndpoint source, String address) throws SQLException {
        return SourceJdbc.connect(source.at(address), config.connectionCheck().timeout(), config.connectionCheck().timeout());
    }

    /** The privileges a SHOW GRANTS line gives on *.*, upper case; ALL PRIVILEGES as ALL. */
    static Set<String> globalPrivileges(String line) {
        Matcher m = GRANT.matcher(line.trim());
        if (!m.find() || !GLOBAL.equals(m.group(2).replace("`", ""))) {
            return Set.of();
        }
        Set<String> privileges = new HashSet<>();
        for (String privilege : m.group(1).split(",")) {
            String name = privilege.replaceAll("\\(.*\\)", "").trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
            privileges.add(name.equals("ALL PRIVILEGES") ? "ALL" : name);
        }
        return privileges;
    }

    /** The grants Rewind needs that {@code granted} lacks, named as the server calls them. */
    static List<String> missingGrants(Set<String> granted, boolean mariadb) {
        if (granted.contains("ALL")) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        if (!granted.contains("SELECT")) {
            missing.add("SELECT");
        }
        if (!granted.contains("REPLICATION SLAVE") && !granted.contains("REPLICATION REPLICA")) {
            missing.add("REPLICATION SLAVE");
        }
        if (!granted.contains("REPLICATION CLIENT") && !granted.contains("BINLOG MONITOR")) {
            missing.add(mariadb ? "BINLOG MONITOR (REPLICATION CLIENT)" : "REPLICATION CLIENT");
        }
        return missing;
    }

    private static boolean isOn(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("ON"));
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, config.connectionCheck().timeout().toSeconds());
    }

    private static ProblemException unprocessable(SourceEndpoint source, List<Problem.FieldError> problems) {
        String what = problems.stream().map(p -> p.field() + " " + p.message()).collect(Collectors.joining("; "));
        String detail = problems.size() == 1 && problems.get(0).field().equals("connection")
                ? "Cannot use the server: " + problems.get(0).message() + ". Fix it, or send skip_checks: true to register it unchecked."
                : "The server at " + source.display() + " is not ready for Rewind: " + what
                        + ". Fix it, or send skip_checks: true to register it unchecked.";
        return new ProblemException(new Problem("about:blank", "Unprocessable Content", 422, detail, problems));
    }
}
