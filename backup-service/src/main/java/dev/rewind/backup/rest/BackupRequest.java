package dev.rewind.backup.rest;

import java.util.List;

/**
 * Body of POST /backup. {@code databases} is Rewind's addition to the reference: the schemas to dump (every user
 * schema of the server when absent), {@code backup_tool} ({@code mydumper} by default) and {@code verify} (restore
 * verification; on unless false, and done when a verification server of the source's kind is configured).
 */
public record BackupRequest(String serverId, List<String> databases, String backupTool, Boolean verify) {
}
