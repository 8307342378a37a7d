package dev.rewind.backup.rest;

import dev.rewind.backup.dumper.Mydumper;
import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Field checks of request bodies, collecting every error into one 400 problem. */
final class Validation {

    static final Pattern S3_PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}(/[A-Za-z0-9][A-Za-z0-9._-]{0,62}){0,4}");

    private final List<Problem.FieldError> errors = new ArrayList<>();

    UUID uuid(String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            error(field, "must be a UUID");
            return null;
        }
    }

    void range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            error(field, "must be from " + min + " to " + max);
        }
    }

    void backupTool(String value) {
        if (value != null && !value.equals("mydumper") && !value.equals("mysqldump")) {
            error("backup_tool", "must be mydumper or mysqldump");
        }
    }

    void s3Prefix(String value) {
        if (value != null && (!S3_PREFIX.matcher(value).matches() || value.contains(".."))) {
            error("s3_prefix", "must be up to 5 path segments of letters, digits, '.', '_' or '-', without '..'");
        }
    }

    void databases(List<String> values) {
        if (values == null) {
            return;
        }
        if (values.size() > 50) {
            error("databases", "must name at most 50 schemas");
        }
        for (String name : values) {
            if (name == null || !Mydumper.SCHEMA_NAME.matcher(name).matches()) {
                error("databases", "must be schema names of letters, digits, '_' or '$' (at most 64)");
                return;
            }
        }
    }

    void error(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
    }

    void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("The request has invalid fields: "
                    + String.join("; ", errors.stream().map(e -> e.field() + " " + e.message()).toList()), errors);
        }
    }
}
