package dev.rewind.pitr.binlog;

import java.util.List;

/** Where parsed transactions go: the index writer, or nothing (the benchmark's raw parse rate). */
@FunctionalInterface
public interface IndexSink {

    /**
     * Writes the transactions, in order, with the checkpoint after the last one, atomically.
     *
     * @throws Exception when nothing was written; the streamer retries the same batch
     */
    void write(List<SourceTransaction> batch) throws Exception;
}
