package dev.rewind.runs.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.runs.service.RunReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads a run report from the request body by hand, so that every flaw — not JSON, not an object, a field of
 * the wrong type, a missing field — is a 400 {@code {"error": "..."}} naming the field, as the reference
 * wants, rather than the generic problem+json of a Jackson binding failure.
 */
@ApplicationScoped
public class RunReportReader {

    private final ObjectReader reader;
    private final ObjectMapper json;

    public RunReportReader(ObjectMapper json) {
        this.json = json;
        this.reader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The body as a JSON object; 400 when it is empty, not JSON, or not an object. */
    public JsonNode object(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("The request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badRequest("The request body must be a JSON object");
        }
        return root;
    }

    /** The run report of a POST body, checked against every rule of the reference. */
    public RunReport report(String body) {
        JsonNode root = object(body);
        return new RunReport(text(root, "run_id"), text(root, "job_name"), text(root, "agent_id"),
                time(root, "start_time"), time(root, "end_time"), text(root, "status"),
                wholeNumber(root, "bytes_backed_up"), bool(root, "encrypted"), text(root, "encryption_status"),
                text(root, "error"), metadata(root)).check();
    }

    /** A string field; null when absent or null. */
    static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ProblemException.badRequest(field + " must be a string");
        }
        if (value.textValue().indexOf('\0') >= 0) {
            throw ProblemException.badRequest(field + " must not hold a NUL character");
        }
        return value.textValue();
    }

    /** A whole number field; null when absent or null. */
    static Long wholeNumber(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ProblemException.badRequest(field + " must be a whole number");
        }
        return value.longValue();
    }

    private static Boolean bool(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ProblemException.badRequest(field + " must be true or false");
        }
        return value.booleanValue();
    }

    private static OffsetDateTime time(JsonNode root, String field) {
        String value = text(root, field);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field + " must be an ISO-8601 date-time with offset, e.g. 2026-05-12T02:00:00Z");
        }
    }

    private String metadata(JsonNode root) {
        JsonNode value = root.get("metadata");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw ProblemException.badRequest("metadata must be a JSON object");
        }
        String text;
        try {
            text = json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("metadata must be a JSON object");
        }
        if (text.contains("\\u0000")) {
            // PostgreSQL's jsonb cannot hold a NUL character, in a value or a name
            throw ProblemException.badRequest("metadata must not hold a NUL character");
        }
        return text;
    }
}
