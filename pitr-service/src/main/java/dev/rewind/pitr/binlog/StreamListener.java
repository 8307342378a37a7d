package dev.rewind.pitr.binlog;

import java.time.Instant;

/** What a {@link BinlogStreamer} tells its owner. Called from the streamer's threads. */
public interface StreamListener {

    /** The binlog stream is live. */
    void connected();

    /** The stream ended on its own (connection lost, binlog purged...); the owner decides when to start again. */
    void failed(String reason);

    /** A batch reached the index: its transactions, rows, and the commit times of its first and last transaction. */
    default void written(int transactions, long rows, Instant firstCommit, Instant lastCommit) {
    }
}
