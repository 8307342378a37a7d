package dev.rewind.backup.rest;

import java.util.List;

/**
 * Body of POST /backup. {@code databases} is Rewind's addition to the reference: the schemas to dump (every user
 * schema of the server when absent).
 */
public record BackupRequest(String serverId, List<String> databases) {
}
