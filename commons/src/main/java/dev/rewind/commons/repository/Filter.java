package dev.rewind.commons.repository;

import java.util.HashMap;
import java.util.Map;

/**
 * A Panache query built from optional filters: each condition is added only when its value is given, so a list
 * endpoint's query reads as the list of its filters. Named parameters take the field's last path segment
 * ({@code key.tenant} binds {@code :tenant}) unless one is named.
 */
public final class Filter {

    private final StringBuilder query = new StringBuilder();
    private final Map<String, Object> params = new HashMap<>();

    private Filter() {
    }

    /** The condition every query of tenant data starts with. */
    public static Filter where(String field, Object value) {
        return new Filter().condition(field + " = :" + param(field), param(field), value);
    }

    /** {@code field = value}, when a value is given. */
    public Filter eq(String field, Object value) {
        return value == null ? this : condition(field + " = :" + param(field), param(field), value);
    }

    /** {@code field >= value}, when a value is given, bound as {@code :name}. */
    public Filter atLeast(String field, String name, Object value) {
        return value == null ? this : condition(field + " >= :" + name, name, value);
    }

    /** {@code field <= value}, when a value is given, bound as {@code :name}. */
    public Filter atMost(String field, String name, Object value) {
        return value == null ? this : condition(field + " <= :" + name, name, value);
    }

    /** Any other condition, with its parameters, when {@code applies}. */
    public Filter and(boolean applies, String condition, Map<String, Object> parameters) {
        if (applies) {
            append(condition);
            params.putAll(parameters);
        }
        return this;
    }

    public String query() {
        return query.toString();
    }

    public Map<String, Object> params() {
        return params;
    }

    private Filter condition(String condition, String name, Object value) {
        append(condition);
        params.put(name, value);
        return this;
    }

    private void append(String condition) {
        query.append(query.isEmpty() ? "" : " and ").append(condition);
    }

    private static String param(String field) {
        return field.substring(field.lastIndexOf('.') + 1);
    }
}
