package dev.rewind.pitr.rest;

import java.util.UUID;

/** The 202 answer of POST /servers/{id}/pitr. */
public record PitrAccepted(UUID pitrId, String status) {
}
