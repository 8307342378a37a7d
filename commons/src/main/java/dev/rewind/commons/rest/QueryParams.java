package dev.rewind.commons.rest;

import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Query parameters read strictly: a bad value is a 400 naming the parameter, never a silent default. */
public final class QueryParams {

    private QueryParams() {
    }

    /** A page size: {@code defaultLimit} when absent, otherwise 1 to {@code max}. */
    public static int limit(String value, int defaultLimit, int max) {
        if (value == null || value.isBlank()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("limit", "must be a whole number from 1 to " + max);
    }

    /** An ISO-8601 instant ({@code 2026-04-13T02:00:00Z}, an offset, or a date meaning its UTC midnight); null when absent. */
    public static OffsetDateTime time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw invalid(name, "must be an ISO-8601 date-time with offset, e.g. 2026-04-13T02:00:00Z");
            }
        }
    }

    /** A UUID; null when absent. */
    public static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw invalid(name, "must be a UUID");
        }
    }

    /** One of the allowed words; null when absent. */
    public static String oneOf(String name, String value, Set<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!allowed.contains(value.trim())) {
            throw invalid(name, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value.trim();
    }

    /** Fails when {@code since} is after {@code until}. */
    public static void range(OffsetDateTime since, OffsetDateTime until) {
        if (since != null && until != null && since.isAfter(until)) {
            throw invalid("since", "must not be after until");
        }
    }

    private static ProblemException invalid(String name, String message) {
        return ProblemException.invalid("Query parameter '" + name + "' " + message, List.of(new Problem.FieldError(name, message)));
    }
}
