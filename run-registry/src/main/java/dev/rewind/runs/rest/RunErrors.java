package dev.rewind.runs.rest;

import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The error shape of the run ledger's own reference: a 400 is {@code {"error": "..."}} whose message names the
 * field. Every other status keeps the platform's problem+json. Used by the resources under /v1/backup-runs
 * only, through their own {@code @ServerExceptionMapper}.
 */
final class RunErrors {

    /** The reference's error body. */
    record RunError(String error) {
    }

    private RunErrors() {
    }

    static Response toResponse(ProblemException e) {
        Problem problem = e.problem();
        if (problem.status() == 400) {
            return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(new RunError(problem.detail())).build();
        }
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
