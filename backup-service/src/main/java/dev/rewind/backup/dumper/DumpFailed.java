package dev.rewind.backup.dumper;

/** A dump did not succeed; the message is readable by a user and holds no secret. */
public class DumpFailed extends RuntimeException {

    public DumpFailed(String message) {
        super(message);
    }
}
