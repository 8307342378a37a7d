package dev.rewind.runs.rest;

import dev.rewind.commons.rest.PageCursor;
import dev.rewind.runs.repository.BackupRunRepository.Position;

/** The list's cursor ({@link PageCursor}) over (received_at, run_id), the list's order. */
final class RunCursor {

    private RunCursor() {
    }

    static String encode(Position position) {
        return new PageCursor(position.receivedAt(), position.runId()).encode();
    }

    /** The position a cursor names; null when absent; 400 when it is not a cursor of this list. */
    static Position decode(String cursor) {
        PageCursor decoded = PageCursor.decode(cursor);
        return decoded == null ? null : new Position(decoded.at(), decoded.id());
    }
}
