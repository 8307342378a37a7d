package dev.rewind.commons.rest;

import dev.rewind.commons.problem.ProblemException;
import java.util.UUID;

/** Ids taken from request paths. */
public final class PathIds {

    private PathIds() {
    }

    /**
     * The UUID in a path segment. A value that is not a UUID names no resource, so it answers 404 like an id
     * that does not exist (or belongs to another tenant) — callers learn nothing from the difference.
     */
    public static UUID uuid(String value, String noun) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound("No " + noun + " " + value);
        }
    }
}
