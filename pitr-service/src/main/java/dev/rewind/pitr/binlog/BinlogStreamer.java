package dev.rewind.pitr.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import org.jboss.logging.Logger;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Streams one source's binlog into an {@link IndexSink} in two stages joined by a bounded queue:
 *
 * <ol>
 * <li>the reader (the connector's thread) deserializes events, decodes rows into JSON images and groups them into
 * committed transactions — it never touches the index database;</li>
 * <li>the writer (its own thread) takes whatever transactions are queued, up to a batch size, and hands them to the
 * sink, retrying the same batch until it is written.</li>
 * </ol>
 *
 * A stream is started from a position at a transaction boundary (a checkpoint) and stopped by {@link #stop()}, which
 * lets the writer finish the queued transactions. When the connection ends on its own the listener is told once;
 * the owner restarts a new streamer from the checkpoint (reconnecting in place could resume inside a transaction).
 */
public final class BinlogStreamer {

    // plain JBoss logging: this package also runs outside Quarkus (bench/ingest)
    private static final Logger Log = Logger.getLogger(BinlogStreamer.class);

    private static final Pattern DDL = Pattern.compile(
            "^\\s*(/\\*.*?\\*/\\s*)*(ALTER|CREATE|DROP|RENAME|TRUNCATE)\\b", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /**
     * @param replicaServerId the server_id this stream presents to the source: unique per stream
     * @param queueCapacity   transactions between reader and writer
     * @param batchRows       the most rows one write takes (a batch never splits a transaction)
     * @param silenceLimit    no event (heartbeats included) for this long ends the stream
     */
    public record Settings(long replicaServerId, int queueCapacity, int batchRows, Duration heartbeat, Duration silenceLimit) {
    }

    private final String name;
    private final SourceConnection source;
    private final BinlogPosition start;
    private final Supplier<SchemaSnapshot> snapshotter;
    private final IndexSink sink;
    private final StreamListener listener;
    private final Settings settings;
    private final BlockingQueue<SourceTransaction> queue;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Map<Long, TableDecoder> decoders = new HashMap<>();

    private volatile SchemaSnapshot snapshot;
    private volatile long lastEventAt;
    private volatile boolean connected;
    private volatile String failure;
    private BinaryLogClient client;
    private Thread reader;
    private Thread writer;

    // reader state (reader thread only)
    private String file;
    private boolean inTransaction;
    private boolean begun;
    private String gtid;
    private long commitMicros;
    /** While the events of a compressed transaction are read: the payload event's header (their position) … */
    private EventHeaderV4 payload;
    /** … and how many rows of it were read, so row indexes stay unique under the one position. */
    private int payloadRows;
    private List<RowChange> rows = new ArrayList<>();

    public BinlogStreamer(String name, SourceConnection source, BinlogPosition start, SchemaSnapshot snapshot,
            Supplier<SchemaSnapshot> snapshotter, IndexSink sink, StreamListener listener, Settings settings) {
        this.name = name;
        this.source = source;
        this.start = start;
        this.snapshot = snapshot;
        this.snapshotter = snapshotter;
        this.sink = sink;
        this.listener = listener;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.file = start.file();
    }

    public void start() {
        client = new BinaryLogClient(source.host(), source.port(), source.username(), source.password());
        client.setServerId(settings.replicaServerId());
        client.setBinlogFilename(start.file());
        client.setBinlogPosition(start.position());
        client.setKeepAlive(false);
        client.setHeartbeatInterval(settings.heartbeat().toMillis());
        client.setConnectTimeout(10_000);
        client.setEventDeserializer(RowDeserializers.create());
        client.registerEventListener(this::onEvent);
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onConnect(BinaryLogClient c) {
                connected = true;
                lastEventAt = System.currentTimeMillis();
                listener.connected();
            }

            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                failure = ex.getMessage();
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
                failure = "cannot decode an event: " + ex.getMessage();
                disconnectQuietly();
            }

            @Override
            public void onDisconnect(BinaryLogClient c) {
                connected = false;
                end(failure == null ? "the source closed the binlog stream" : failure);
            }
        });
        writer = new Thread(this::writeLoop, "pitr-writer-" + name);
        writer.setDaemon(true);
        writer.start();
        reader = new Thread(() -> {
            try {
                client.connect();
            } catch (Exception e) {
                end(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }, "pitr-reader-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Stops reading, lets the writer write what is queued, and waits for both (at most {@code wait}). */
    public void stop(Duration wait) {
        stopping.set(true);
        disconnectQuietly();
        try {
            if (reader != null) {
                reader.join(wait.toMillis());
            }
            if (writer != null) {
                writer.join(wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean connected() {
        return connected;
    }

    /** Seconds the index is behind the source: the age of the oldest transaction not yet written; 0 when caught up. */
    public double lagSeconds() {
        SourceTransaction oldest = queue.peek();
        return oldest == null ? 0 : Math.max(0, (System.currentTimeMillis() - oldest.commitTime().toEpochMilli()) / 1000.0);
    }

    public int queued() {
        return queue.size();
    }

    private void end(String reason) {
        if (!stopping.get() && ended.compareAndSet(false, true)) {
            Log.infof("binlog stream %s ended: %s", name, reason);
            listener.failed(reason);
        }
    }

    private void disconnectQuietly() {
        try {
            if (client != null) {
                client.disconnect();
            }
        } catch (Exception e) {
            Log.debugf("disconnect of %s: %s", name, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- reader stage

    private void onEvent(Event event) {
        lastEventAt = System.currentTimeMillis();
        EventHeaderV4 header = event.getHeader();
        if (payload != null) {
            // an event inside a compressed transaction has no position of its own (end_log_pos 0): it takes the payload's
            header = payload;
        }
        EventType type = event.getHeader().getEventType();
        switch (type) {
            case TRANSACTION_PAYLOAD -> {
                // MySQL 8 binlog_transaction_compression: the transaction's events, zstd-compressed in one event
                TransactionPayloadEventData data = event.getData();
                payload = header;
                payloadRows = 0;
                try {
                    for (Event inner : data.getUncompressedEvents()) {
                        onEvent(inner);
                    }
                } finally {
                    payload = null;
                }
            }
            case ROTATE -> file = ((RotateEventData) event.getData()).getBinlogFilename();
            case GTID -> {
                GtidEventData data = event.getData();
                beginTransaction(data.getGtid(), data.getOriginalCommitTimestamp());
            }
            case MARIADB_GTID -> {
                MariadbGtidEventData data = event.getData();
                // the event data's server id is 0 when streaming from a file position: the header has it
                beginTransaction(data.getDomainId() + "-" + header.getServerId() + "-" + data.getSequence(), 0);
            }
            case QUERY -> onQuery(header, event.getData());
            case XID -> commit(header, null, null);
            case TABLE_MAP -> onTableMap(event.getData());
            case WRITE_ROWS, EXT_WRITE_ROWS -> {
                WriteRowsEventData data = event.getData();
                TableDecoder decoder = decoders.get(data.getTableId());
                int index = payload == null ? 0 : payloadRows;
                for (Serializable[] row : data.getRows()) {
                    rows.add(new RowChange(header.getPosition(), index++, decoder.schema(), decoder.table(), "insert",
                            decoder.primaryKey(row), null, decoder.image(row)));
                }
                payloadRows = index;
                inTransaction = true;
            }
            case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
                UpdateRowsEventData data = event.getData();
                TableDecoder decoder = decoders.get(data.getTableId());
                int index = payload == null ? 0 : payloadRows;
                for (Map.Entry<Serializable[], Serializable[]> row : data.getRows()) {
                    rows.add(new RowChange(header.getPosition(), index++, decoder.schema(), decoder.table(), "update",
                            decoder.primaryKey(row.getKey()), decoder.image(row.getKey()), decoder.image(row.getValue())));
                }
                payloadRows = index;
                inTransaction = true;
            }
            case DELETE_ROWS, EXT_DELETE_ROWS -> {
                DeleteRowsEventData data = event.getData();
                TableDecoder decoder = decoders.get(data.getTableId());
                int index = payload == null ? 0 : payloadRows;
                for (Serializable[] row : data.getRows()) {
                    rows.add(new RowChange(header.getPosition(), index++, decoder.schema(), decoder.table(), "delete",
                            decoder.primaryKey(row), decoder.image(row), null));
                }
                payloadRows = index;
                inTransaction = true;
            }
            default -> {
                // FORMAT_DESCRIPTION, PREVIOUS_GTIDS, ANNOTATE_ROWS, HEARTBEAT, checkpoints...: nothing to index
            }
        }
    }

    private void beginTransaction(String transactionGtid, long originalCommitMicros) {
        rows = new ArrayList<>();
        inTransaction = true;
        begun = false;
        gtid = transactionGtid;
        commitMicros = originalCommitMicros;
    }

    private void onQuery(EventHeaderV4 header, QueryEventData data) {
        String sql = data.getSql().trim();
        if (sql.equalsIgnoreCase("BEGIN")) {
            begun = true;
            inTransaction = true;
        } else if (sql.equalsIgnoreCase("COMMIT") || sql.equalsIgnoreCase("ROLLBACK")) {
            commit(header, null, null);
        } else if (!begun) {
            // a statement outside BEGIN..COMMIT is its own transaction: DDL above all
            if (DDL.matcher(sql).find()) {
                SchemaSnapshot fresh = refreshSnapshot();
                decoders.clear();
                commit(header, fresh, sql.length() > 2000 ? sql.substring(0, 2000) : sql);
            } else {
                commit(header, null, null);
            }
        }
    }

    private void onTableMap(TableMapEventData map) {
        TableDecoder current = decoders.get(map.getTableId());
        if (current != null && current.matches(map)) {
            return;
        }
        SchemaSnapshot.Table table = snapshot == null ? null : snapshot.table(map.getDatabase(), map.getTable());
        if (table == null || table.columns().size() != map.getColumnTypes().length) {
            // a table the snapshot does not know yet (created since, or changed): look again before decoding
            table = refreshSnapshot().table(map.getDatabase(), map.getTable());
        }
        decoders.put(map.getTableId(), new TableDecoder(map, table));
    }

    private SchemaSnapshot refreshSnapshot() {
        try {
            snapshot = snapshotter.get();
        } catch (RuntimeException e) {
            Log.warnf("schema snapshot of %s failed, decoding with the previous one: %s", name, e.getMessage());
        }
        return snapshot == null ? new SchemaSnapshot(Map.of()) : snapshot;
    }

    private void commit(EventHeaderV4 header, SchemaSnapshot ddlSnapshot, String ddl) {
        boolean worthWriting = !rows.isEmpty() || ddl != null;
        if (worthWriting) {
            Instant commitTime = commitMicros > 0
                    ? Instant.ofEpochSecond(commitMicros / 1_000_000, (commitMicros % 1_000_000) * 1000)
                    : Instant.ofEpochMilli(header.getTimestamp());
            SourceTransaction transaction = new SourceTransaction(file, header.getNextPosition(), gtid, commitTime,
                    rows, ddlSnapshot, ddl);
            try {
                while (!queue.offer(transaction, 200, TimeUnit.MILLISECONDS)) {
                    if (stopping.get()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        rows = new ArrayList<>();
        inTransaction = false;
        begun = false;
        gtid = null;
        commitMicros = 0;
    }

    // ---------------------------------------------------------------- writer stage

    private void writeLoop() {
        List<SourceTransaction> batch = new ArrayList<>();
        while (true) {
            SourceTransaction first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                if (stopping.get() || (ended.get() && !reader.isAlive())) {
                    return;
                }
                checkSilence();
                continue;
            }
            batch.clear();
            batch.add(first);
            int rowCount = first.rows().size();
            while (rowCount < settings.batchRows()) {
                SourceTransaction next = queue.poll();
                if (next == null) {
                    break;
                }
                batch.add(next);
                rowCount += next.rows().size();
            }
            if (!writeWithRetry(batch)) {
                return;
            }
            listener.written(batch.size(), rowCount, batch.get(0).commitTime(), batch.get(batch.size() - 1).commitTime());
        }
    }

    private boolean writeWithRetry(List<SourceTransaction> batch) {
        long backoff = 100;
        while (true) {
            try {
                sink.write(batch);
                return true;
            } catch (Exception e) {
                if (stopping.get()) {
                    Log.infof("stream %s stopped with %d transactions unwritten: they are read again from the checkpoint", name,
                            batch.size());
                    return false;
                }
                Log.warnf("index write of %s failed, retrying in %d ms: %s", name, backoff, e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void checkSilence() {
        if (connected && System.currentTimeMillis() - lastEventAt > settings.silenceLimit().toMillis()) {
            failure = "no event or heartbeat from the source for " + settings.silenceLimit().toSeconds() + " s";
            disconnectQuietly();
        }
    }
}
