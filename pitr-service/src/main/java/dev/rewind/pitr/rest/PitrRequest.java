package dev.rewind.pitr.rest;

import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of POST /servers/{id}/pitr.
 *
 * @param targetTime     ISO-8601; without an offset it is UTC; {@code latest} for now
 * @param tables         comma-separated {@code schema.table} list; absent for every table
 * @param allowGaps      go on despite gaps in the event stream (default false)
 * @param targetGtid     instead of a time: one transaction's GTID (MySQL {@code uuid:n}, MariaDB {@code domain-server-seq})
 * @param targetPosition instead of a time: a binlog place {@code file:position}
 * @param inclusive      with a GTID or position: whether the transaction there is part of the result (default true)
 */
public record PitrRequest(String targetTime, String tables, Boolean allowGaps, String targetGtid, String targetPosition,
        Boolean inclusive) {

    private static final Pattern MYSQL_GTID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
            + "[0-9a-fA-F]{12}:[1-9][0-9]{0,18}");
    private static final Pattern MARIADB_GTID = Pattern.compile("[0-9]{1,10}-[0-9]{1,10}-[0-9]{1,19}");
    private static final Pattern POSITION = Pattern.compile("([A-Za-z0-9_.-]{1,200}\\.[0-9]{1,9}):([0-9]{1,12})");

    /**
     * A target other than a time: a GTID, or a binlog place ({@code file} and {@code position}), with whether the
     * transaction there is included.
     */
    public record Place(String gtid, String file, long position, boolean inclusive) {
        @Override
        public String toString() {
            return (gtid != null ? "GTID " + gtid : "binlog position " + file + ":" + position)
                    + (inclusive ? " (inclusive)" : " (exclusive)");
        }
    }

    /** One {@code schema.table}: no dots, commas, quotes, slashes or blanks inside either name. */
    private static final Pattern QUALIFIED = Pattern.compile("[^.,\\s`'\"/\\\\]{1,64}\\.[^.,\\s`'\"/\\\\]{1,64}");

    /** The request, checked; every problem named with its field. */
    public record Checked(OffsetDateTime target, List<String> tables, boolean allowGaps, Place place) {
    }

    public static Checked check(PitrRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("A JSON body with target_time is required");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        OffsetDateTime target = null;
        Place place = null;
        int given = (body.targetTime() != null ? 1 : 0) + (body.targetGtid() != null ? 1 : 0) + (body.targetPosition() != null ? 1 : 0);
        if (given > 1) {
            errors.add(new Problem.FieldError("target_time", "give one of target_time, target_gtid and target_position"));
        } else if (body.targetGtid() != null) {
            String gtid = body.targetGtid().trim();
            if (!MYSQL_GTID.matcher(gtid).matches() && !MARIADB_GTID.matcher(gtid).matches()) {
                errors.add(new Problem.FieldError("target_gtid", "must be one transaction's GTID, uuid:n (MySQL) or "
                        + "domain-server-seq (MariaDB), got '" + abbreviate(body.targetGtid()) + "'"));
            } else {
                place = new Place(gtid, null, 0, !Boolean.FALSE.equals(body.inclusive()));
            }
        } else if (body.targetPosition() != null) {
            java.util.regex.Matcher m = POSITION.matcher(body.targetPosition().trim());
            if (!m.matches()) {
                errors.add(new Problem.FieldError("target_position", "must be file:position, e.g. mysql-bin.000042:1234, got '"
                        + abbreviate(body.targetPosition()) + "'"));
            } else {
                place = new Place(null, m.group(1), Long.parseLong(m.group(2)), !Boolean.FALSE.equals(body.inclusive()));
            }
        } else if (body.inclusive() != null) {
            errors.add(new Problem.FieldError("inclusive", "applies to target_gtid and target_position only"));
        }
        if (place != null || given > 1) {
            // a place: its time is found in the index
        } else if (body.targetTime() == null || body.targetTime().isBlank()) {
            errors.add(new Problem.FieldError("target_time", "is required (or target_gtid, or target_position)"));
        } else if (body.targetTime().trim().equalsIgnoreCase("latest")) {
            target = OffsetDateTime.now(ZoneOffset.UTC);
        } else {
            target = parseTime(body.targetTime().trim());
            if (target == null) {
                errors.add(new Problem.FieldError("target_time",
                        "must be an ISO-8601 date-time such as 2026-04-10T14:30:00Z, got '" + body.targetTime() + "'"));
            }
        }
        List<String> tables = null;
        if (body.tables() != null && body.tables().length() > MAX_TABLES_CHARS) {
            errors.add(new Problem.FieldError("tables", "is longer than " + MAX_TABLES_CHARS + " characters"));
        } else if (body.tables() != null) {
            Set<String> unique = new LinkedHashSet<>();
            for (String part : body.tables().split(",", -1)) {
                String name = part.trim();
                if (!QUALIFIED.matcher(name).matches()) {
                    errors.add(new Problem.FieldError("tables", "must be a comma-separated list of schema.table names; '" + name
                            + "' is not one"));
                    break;
                }
                unique.add(name);
            }
            if (unique.size() > MAX_TABLES) {
                errors.add(new Problem.FieldError("tables", "names " + unique.size() + " tables; one run recovers at most " + MAX_TABLES
                        + " (omit tables for every table of the server)"));
            }
            tables = List.copyOf(unique);
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("The PITR request is invalid", errors);
        }
        return new Checked(target == null ? null : target.withOffsetSameInstant(ZoneOffset.UTC), tables,
                Boolean.TRUE.equals(body.allowGaps()), place);
    }

    /** The most tables one run names (a whole server is asked for by omitting {@code tables}). */
    static final int MAX_TABLES = 1000;
    static final int MAX_TABLES_CHARS = 200_000;

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }

    private static OffsetDateTime parseTime(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
