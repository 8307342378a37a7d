package dev.rewind.commons.rest;

import dev.rewind.commons.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * The opaque cursor of a list kept in (time, id) order: the time and id of the last item of a page, base64url.
 * Clients pass the {@code X-Next-Cursor} of a page back unchanged as {@code cursor}; its content is not a contract.
 */
public record PageCursor(OffsetDateTime at, String id) {

    /** The response header that carries the next page's cursor; absent on the last page. */
    public static final String HEADER = "X-Next-Cursor";

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at.toInstant());
        return ENCODER.encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The place a cursor names; null when absent; 400 when it is not a cursor this service wrote. */
    public static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String text = new String(DECODER.decode(cursor.trim()), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            long micros = Long.parseLong(text.substring(0, colon));
            String id = text.substring(colon + 1);
            if (id.isEmpty()) {
                throw new IllegalArgumentException("no id");
            }
            return new PageCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC), id);
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("cursor is not a cursor of this list; pass back the X-Next-Cursor value unchanged");
        }
    }
}
