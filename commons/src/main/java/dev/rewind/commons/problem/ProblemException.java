package dev.rewind.commons.problem;

import java.time.Duration;
import java.util.List;

/**
 * A failure the caller is told about as a problem+json response. Services throw these for expected
 * outcomes (not found, conflict, validation); anything else is an internal error.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Duration retryAfter;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    private ProblemException(Problem problem, Duration retryAfter) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public Problem problem() {
        return problem;
    }

    /** How long the caller should wait before trying again (429, 503), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(new Problem("Bad Request", 400, detail));
    }

    public static ProblemException invalid(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(new Problem("about:blank", "Bad Request", 400, detail, errors));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(new Problem("Forbidden", 403, detail));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(new Problem("Not Found", 404, detail));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(new Problem("Conflict", 409, detail));
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(new Problem("Unprocessable Content", 422, detail));
    }

    public static ProblemException tooManyRequests(String detail, Duration retryAfter) {
        return new ProblemException(new Problem("Too Many Requests", 429, detail), retryAfter);
    }

    /** A service this one needs does not answer now: 503, worth trying again after {@code retryAfter}. */
    public static ProblemException unavailable(String detail, Duration retryAfter) {
        return new ProblemException(new Problem("Service Unavailable", 503, detail), retryAfter);
    }
}
