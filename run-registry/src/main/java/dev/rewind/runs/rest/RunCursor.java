package dev.rewind.runs.rest;

import dev.rewind.commons.problem.ProblemException;
import dev.rewind.runs.repository.BackupRunRepository.Position;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * The opaque cursor of the list: the (received_at, run_id) of the last run of a page, base64url-encoded.
 * Clients pass it back unchanged as {@code cursor}; its content is not a contract.
 */
final class RunCursor {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private RunCursor() {
    }

    static String encode(Position position) {
        Instant at = position.receivedAt().toInstant();
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        return ENCODER.encodeToString((micros + ":" + position.runId()).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor names; null when absent; 400 when it is not a cursor this service wrote. */
    static Position decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String text = new String(DECODER.decode(cursor.trim()), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            long micros = Long.parseLong(text.substring(0, colon));
            String runId = text.substring(colon + 1);
            if (runId.isEmpty()) {
                throw new IllegalArgumentException("no run id");
            }
            OffsetDateTime at = Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
            return new Position(at, runId);
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("cursor is not a cursor of this list; pass back the X-Next-Cursor value unchanged");
        }
    }
}
