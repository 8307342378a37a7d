package dev.rewind.commons.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into a problem+json response: the expected ones with a clear detail, anything else
 * as a bare 500 whose cause goes to the log only — never a stack trace or class name on the wire.
 */
public class ProblemMappers {

    private final ObjectMapper json;

    public ProblemMappers(ObjectMapper json) {
        this.json = json;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder response = respond(e.problem());
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Math.max(1, e.retryAfter().toSeconds()));
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        return respond(new Problem("about:blank", "Bad Request", 400, detail, errors)).build();
    }

    // listed one by one: Quarkus' own mappers for the Jackson subtypes would otherwise win (closest type)
    @ServerExceptionMapper({JsonProcessingException.class, JsonParseException.class, JsonMappingException.class,
            MismatchedInputException.class, InvalidFormatException.class, ValueInstantiationException.class})
    public Response unreadableJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            String message = e instanceof dev.rewind.commons.rest.JsonStrings.NulCharacter ? "must not hold a NUL character"
                    : "has a value of the wrong type";
            return respond(new Problem("about:blank", "Bad Request", 400, "Field '" + field + "' " + message,
                    List.of(new Problem.FieldError(field, message)))).build();
        }
        return respond(new Problem("Bad Request", 400, "The request body is not valid JSON")).build();
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthorized() {
        return respond(new Problem("Unauthorized", 401, "A valid bearer token is required"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(new Problem("Forbidden", 403, "The token does not grant the permission this operation needs")).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return unreadableJson(json); // the body reader wraps Jackson's failure in a 400
            }
        }
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        if (status >= 500) {
            Log.error("request failed", e);
            return respond(new Problem(title, status, "The request could not be completed")).build();
        }
        return respond(new Problem(title, status, describe(status))).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        Log.error("unexpected failure while handling a request", e);
        return respond(new Problem("Internal Server Error", 500, "The request could not be completed; the failure was logged")).build();
    }

    private static String describe(int status) {
        return switch (status) {
            case 400 -> "The request is malformed";
            case 404 -> "No such resource";
            case 405 -> "This method is not allowed on this resource";
            case 406 -> "No acceptable representation; this API speaks application/json";
            case 413 -> "The request body is too large";
            case 415 -> "Unsupported media type; send application/json";
            default -> "The request could not be handled";
        };
    }

    /** The field as the client wrote it: "register.request.connectionMethod" becomes "connection_method". */
    private String fieldName(ConstraintViolation<?> violation) {
        String[] nodes = violation.getPropertyPath().toString().split("\\.");
        // drop the method and parameter nodes; a violation of the parameter itself keeps the parameter's name
        String[] fields = nodes.length > 2 ? Arrays.copyOfRange(nodes, 2, nodes.length) : new String[] {nodes[nodes.length - 1]};
        return Arrays.stream(fields).map(this::jsonName).collect(Collectors.joining("."));
    }

    private String jsonName(String property) {
        return json.getPropertyNamingStrategy() instanceof PropertyNamingStrategies.NamingBase naming
                ? naming.translate(property)
                : property;
    }

    private static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }
}
