package dev.rewind.backup.storage;

/** One object of a backup in S3, as listed in its manifest. */
public record StoredFile(String name, long sizeBytes, String sha256) {
}
