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
 * @param targetTime ISO-8601; without an offset it is UTC
 * @param tables     comma-separated {@code schema.table} list; absent for every table
 * @param allowGaps  go on despite gaps in the event stream (default false)
 */
public record PitrRequest(String targetTime, String tables, Boolean allowGaps) {

    /** One {@code schema.table}: no dots, commas, quotes, slashes or blanks inside either name. */
    private static final Pattern QUALIFIED = Pattern.compile("[^.,\\s`'\"/\\\\]{1,64}\\.[^.,\\s`'\"/\\\\]{1,64}");

    /** The request, checked; every problem named with its field. */
    public record Checked(OffsetDateTime target, List<String> tables, boolean allowGaps) {
    }

    public static Checked check(PitrRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("A JSON body with target_time is required");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        OffsetDateTime target = null;
        if (body.targetTime() == null || body.targetTime().isBlank()) {
            errors.add(new Problem.FieldError("target_time", "is required"));
        } else {
            target = parseTime(body.targetTime().trim());
            if (target == null) {
                errors.add(new Problem.FieldError("target_time",
                        "must be an ISO-8601 date-time such as 2026-04-10T14:30:00Z, got '" + body.targetTime() + "'"));
            }
        }
        List<String> tables = null;
        if (body.tables() != null) {
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
            tables = List.copyOf(unique);
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("The PITR request is invalid", errors);
        }
        return new Checked(target.withOffsetSameInstant(ZoneOffset.UTC), tables, Boolean.TRUE.equals(body.allowGaps()));
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
