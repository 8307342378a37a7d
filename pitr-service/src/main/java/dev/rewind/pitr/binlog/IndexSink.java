package dev.rewind.pitr.binlog;

import java.util.List;

/** Where parsed transactions go: the index writer, or nothing (the benchmark's raw parse rate). */
@FunctionalInterface
public interface IndexSink {

    /**
     * Writes the transactions, in order, with the checkpoint after the last one, atomically. A batch is either whole
     * transactions, or one chunk of a large transaction (no checkpoint moves, nothing becomes visible).
     *
     * @throws Exception when nothing was written; the streamer retries the same batch
     */
    void write(List<SourceTransaction> batch) throws Exception;

    /**
     * The index does not hold what the stream wrote before (the chunks of a large transaction are gone, another
     * instance took the stream over): retrying cannot help; the stream ends and is read again from the checkpoint.
     */
    final class Inconsistent extends RuntimeException {
        public Inconsistent(String message) {
            super(message);
        }
    }
}
