package dev.rewind.commons.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 *
 * @param type   a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title  the short, fixed summary of the status
 * @param status the HTTP status
 * @param detail what went wrong with this request, for a human
 * @param errors the field errors of a validation failure, otherwise absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String title, int status, String detail) {
        this("about:blank", title, status, detail, null);
    }

    /** One invalid field: its name (or JSON path) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
