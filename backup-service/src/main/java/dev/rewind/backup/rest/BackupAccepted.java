package dev.rewind.backup.rest;

import java.util.UUID;

/** Answer of POST /backup (202): the backup runs asynchronously; poll GET /backup/history/{backup_id}. */
public record BackupAccepted(UUID backupId, String status) {
}
