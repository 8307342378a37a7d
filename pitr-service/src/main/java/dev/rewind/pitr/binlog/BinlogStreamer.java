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
import com.github.shyiko.mysql.binlog.network.SSLMode;
import dev.rewind.source.SourceEndpoint;
import dev.rewind.source.SourceTls;
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
 * Memory does not grow with a transaction: once an open transaction holds {@code chunkRows} rows or
 * {@code chunkBytes}, what it holds goes to the writer as a chunk (see {@link SourceTransaction}), and every queued
 * item first takes its size from this stream's budget and from the budget shared by all streams ({@link IngestBudget}),
 * so a reader ahead of its writer waits.
 *
 * <p>A failure in either stage (an event that cannot be decoded, an error in the writer) ends the stream: nothing
 * after the failed event is written, and the owner restarts from the checkpoint. The connector itself would only log
 * an exception of a listener and go on with the next event, losing the rows.
 *
 * <p>A stream is started from a position at a transaction boundary (a checkpoint) and stopped by {@link #stop()}, which
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
     * @param queueCapacity   transactions (or chunks) between reader and writer
     * @param batchRows       the most rows one write takes (a batch never splits a transaction)
     * @param chunkRows       an open transaction holding this many rows is handed on as a chunk
     * @param chunkBytes      … or one holding this many bytes
     * @param budgetBytes     the memory this stream's queued rows may hold
     * @param silenceLimit    no event (heartbeats included) for this long ends the stream
     */
    public record Settings(long replicaServerId, int queueCapacity, int batchRows, int chunkRows, long chunkBytes,
            long budgetBytes, Duration heartbeat, Duration silenceLimit) {
    }

    /** A queued transaction or chunk, with the source time its lag is measured from. */
    private record Queued(SourceTransaction transaction, long sourceMillis) {
    }

    private final String name;
    private final SourceEndpoint source;
    private final BinlogPosition start;
    private final Supplier<SchemaSnapshot> snapshotter;
    private final IndexSink sink;
    private final StreamListener listener;
    private final Settings settings;
    private final BlockingQueue<Queued> queue;
    private final IngestBudget own;
    private final IngestBudget shared;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Map<Long, TableDecoder> decoders = new HashMap<>();
    /** Table ids of Rewind's own scratch databases (restore verification on a source): their rows are not indexed. */
    private final java.util.Set<Long> scratchTables = new java.util.HashSet<>();

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
    /** The commit time of the last transaction handed on (or indexed before this stream): commit times never go back. */
    private Instant lastCommit;
    /** While the events of a compressed transaction are read: the payload event's header (their position) … */
    private EventHeaderV4 payload;
    /** … and how many rows of it were read, so row indexes stay unique under the one position. */
    private int payloadRows;
    private List<RowChange> rows = new ArrayList<>();
    /** Bytes the rows of the open transaction hold, and how many of its rows went ahead as chunks. */
    private long rowBytes;
    private long spilled;
    /** Set when an event could not be indexed: every later event is ignored until the stream has ended. */
    private volatile boolean broken;

    public BinlogStreamer(String name, SourceEndpoint source, BinlogPosition start, SchemaSnapshot snapshot,
            Supplier<SchemaSnapshot> snapshotter, IndexSink sink, StreamListener listener, Settings settings,
            IngestBudget shared) {
        this.name = name;
        this.source = source;
        this.start = start;
        this.snapshot = snapshot;
        this.snapshotter = snapshotter;
        this.sink = sink;
        this.listener = listener;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.own = new IngestBudget(settings.budgetBytes());
        this.shared = shared;
        this.file = start.file();
    }

    /**
     * The commit time of the last transaction indexed before this stream starts (the checkpoint's): no commit this
     * stream reads is placed before it.
     */
    public void commitsNotBefore(Instant indexed) {
        this.lastCommit = indexed;
    }

    /** A source may say anything: how far ahead of this machine's clock a commit time may be. */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(5);

    /**
     * The commit time a transaction is indexed with. A source's event times are the session's {@code SET TIMESTAMP}
     * (on MySQL 8 the original commit timestamp), so a tenant could date transactions anywhere and, through them,
     * make the index create a partition per day it names. Commits are in binlog order, so their times are too: a time
     * before the previous commit's, or more than {@link #CLOCK_SKEW} ahead of this machine's clock, is taken as the
     * previous commit's time (now, when there is none yet). The next commits keep their own times.
     */
    static Instant clampCommit(Instant raw, Instant previous, Instant now) {
        boolean future = raw.isAfter(now.plus(CLOCK_SKEW));
        boolean past = previous != null && raw.isBefore(previous);
        if (!future && !past) {
            return raw;
        }
        return previous != null ? previous : now;
    }

    public void start() {
        // the checked address always: the certificate is checked against the registered name by SourceTls itself
        client = new BinaryLogClient(source.address() != null ? source.address() : source.host(), source.port(), source.username(),
                source.password());
        SourceTls tls = source.tls();
        if (tls.mode().encrypted()) {
            // REQUIRED tells the client to use our factory and no name check of its own (it would check the address)
            client.setSSLMode(SSLMode.REQUIRED);
            client.setSslSocketFactory(socket -> {
                try {
                    return tls.upgrade(socket, source.host(), source.port());
                } catch (java.net.SocketException e) {
                    throw e;
                } catch (java.io.IOException e) {
                    throw (java.net.SocketException) new java.net.SocketException("TLS: " + e.getMessage()).initCause(e);
                }
            });
        } else {
            client.setSSLMode(SSLMode.DISABLED);
        }
        client.setServerId(settings.replicaServerId());
        client.setBinlogFilename(start.file());
        client.setBinlogPosition(start.position());
        client.setKeepAlive(false);
        client.setHeartbeatInterval(settings.heartbeat().toMillis());
        client.setConnectTimeout(10_000);
        client.setEventDeserializer(RowDeserializers.create());
        client.registerEventListener(this::onEventGuarded);
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

    /** Whether both stages still run (a stage that died ends the stream; this tells it before the owner hears). */
    public boolean alive() {
        return reader != null && writer != null && reader.isAlive() && writer.isAlive() && !ended.get();
    }

    /** Seconds the index is behind the source: the age of the oldest transaction not yet written; 0 when caught up. */
    public double lagSeconds() {
        Queued oldest = queue.peek();
        return oldest == null ? 0 : Math.max(0, (System.currentTimeMillis() - oldest.sourceMillis()) / 1000.0);
    }

    /** Bytes this stream's queued rows hold. */
    public long queuedBytes() {
        return own.usedBytes();
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

    /** Ends the stream because of a failure in this process: the owner restarts it from the checkpoint. */
    private void fail(String reason) {
        broken = true;
        failure = reason;
        disconnectQuietly();
        end(reason);
    }

    // ---------------------------------------------------------------- reader stage

    private void onEventGuarded(Event event) {
        if (broken || stopping.get()) {
            return;
        }
        try {
            onEvent(event);
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError vm) {
                broken = true;
                throw vm;
            }
            EventHeaderV4 header = event.getHeader();
            Log.errorf(e, "stream %s cannot index the event at %s:%d", name, file, header.getPosition());
            fail("cannot index the " + header.getEventType() + " event at " + file + ":" + header.getPosition() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

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
                TableDecoder decoder = decoder(data.getTableId());
                if (decoder == null) {
                    inTransaction = true;
                    return;
                }
                int index = payload == null ? 0 : payloadRows;
                for (Serializable[] row : data.getRows()) {
                    add(new RowChange(header.getPosition(), index++, decoder.schema(), decoder.table(), "insert",
                            decoder.primaryKey(row), null, decoder.image(row)));
                }
                payloadRows = index;
                inTransaction = true;
                spillIfLarge(header);
            }
            case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
                UpdateRowsEventData data = event.getData();
                TableDecoder decoder = decoder(data.getTableId());
                if (decoder == null) {
                    inTransaction = true;
                    return;
                }
                int index = payload == null ? 0 : payloadRows;
                for (Map.Entry<Serializable[], Serializable[]> row : data.getRows()) {
                    add(new RowChange(header.getPosition(), index++, decoder.schema(), decoder.table(), "update",
                            decoder.primaryKey(row.getKey()), decoder.image(row.getKey()), decoder.image(row.getValue())));
                }
                payloadRows = index;
                inTransaction = true;
                spillIfLarge(header);
            }
            case DELETE_ROWS, EXT_DELETE_ROWS -> {
                DeleteRowsEventData data = event.getData();
                TableDecoder decoder = decoder(data.getTableId());
                if (decoder == null) {
                    inTransaction = true;
                    return;
                }
                int index = payload == null ? 0 : payloadRows;
                for (Serializable[] row : data.getRows()) {
                    add(new RowChange(header.getPosition(), index++, decoder.schema(), decoder.table(), "delete",
                            decoder.primaryKey(row), decoder.image(row), null));
                }
                payloadRows = index;
                inTransaction = true;
                spillIfLarge(header);
            }
            default -> {
                // FORMAT_DESCRIPTION, PREVIOUS_GTIDS, ANNOTATE_ROWS, HEARTBEAT, checkpoints...: nothing to index
            }
        }
    }

    private TableDecoder decoder(long tableId) {
        TableDecoder decoder = decoders.get(tableId);
        if (decoder == null && scratchTables.contains(tableId)) {
            return null;
        }
        if (decoder == null) {
            throw new IllegalStateException("a rows event for table id " + tableId + " without its table map");
        }
        return decoder;
    }

    private void add(RowChange row) {
        rows.add(row);
        rowBytes += row.estimatedBytes();
    }

    /** Hands the rows of the open transaction on as a chunk once they are many or large. */
    private void spillIfLarge(EventHeaderV4 header) {
        if (rows.size() < settings.chunkRows() && rowBytes < settings.chunkBytes()) {
            return;
        }
        SourceTransaction chunk = new SourceTransaction(file, header.getNextPosition(), gtid, null, rows, null, null, false,
                spilled, rowBytes);
        if (enqueue(chunk, header.getTimestamp())) {
            spilled += rows.size();
        }
        rows = new ArrayList<>();
        rowBytes = 0;
    }

    private void beginTransaction(String transactionGtid, long originalCommitMicros) {
        rows = new ArrayList<>();
        rowBytes = 0;
        spilled = 0;
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
            if (DDL.matcher(sql).find() && !rewindScratch(data.getDatabase())) {
                SchemaSnapshot fresh = refreshSnapshot();
                decoders.clear();
                commit(header, fresh, new SourceTransaction.Ddl(data.getDatabase(), sql,
                        Instant.ofEpochMilli(header.getTimestamp())));
            } else {
                commit(header, null, null);
            }
        }
    }

    private void onTableMap(TableMapEventData map) {
        if (rewindScratch(map.getDatabase())) {
            scratchTables.add(map.getTableId());
            decoders.remove(map.getTableId());
            return;
        }
        scratchTables.remove(map.getTableId());
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

    /**
     * Rewind's own scratch databases, {@code rewind_verify_*}: backup-service's restore verification writes them, and
     * where the verification server is a source (the local stack) they would otherwise be indexed for every server
     * streaming it. Their rows and the DDL run in them are not indexed.
     */
    static boolean rewindScratch(String schema) {
        return schema != null && schema.regionMatches(true, 0, "rewind_verify_", 0, "rewind_verify_".length());
    }

    private SchemaSnapshot refreshSnapshot() {
        try {
            snapshot = snapshotter.get();
        } catch (RuntimeException e) {
            Log.warnf("schema snapshot of %s failed, decoding with the previous one: %s", name, e.getMessage());
        }
        return snapshot == null ? new SchemaSnapshot(Map.of()) : snapshot;
    }

    private void commit(EventHeaderV4 header, SchemaSnapshot ddlSnapshot, SourceTransaction.Ddl ddl) {
        // a transaction without rows still moves the GTID set (and the checkpoint past it)
        boolean worthWriting = !rows.isEmpty() || spilled > 0 || ddl != null || gtid != null;
        if (worthWriting) {
            Instant commitTime = clampCommit(commitMicros > 0
                    ? Instant.ofEpochSecond(commitMicros / 1_000_000, (commitMicros % 1_000_000) * 1000)
                    : Instant.ofEpochMilli(header.getTimestamp()), lastCommit, Instant.now());
            lastCommit = commitTime;
            SourceTransaction transaction = new SourceTransaction(file, header.getNextPosition(), gtid, commitTime,
                    rows, ddlSnapshot, ddl, true, spilled, rowBytes);
            if (!enqueue(transaction, commitTime.toEpochMilli())) {
                return;
            }
        }
        rows = new ArrayList<>();
        rowBytes = 0;
        spilled = 0;
        inTransaction = false;
        begun = false;
        gtid = null;
        commitMicros = 0;
    }

    /** Queues a transaction or chunk once both budgets have room for it; false when the stream stopped first. */
    private boolean enqueue(SourceTransaction transaction, long sourceMillis) {
        int ownCost = own.cost(transaction.bytes());
        if (!own.acquire(ownCost, this::leaving)) {
            return false;
        }
        int sharedCost = shared.cost(transaction.bytes());
        if (!shared.acquire(sharedCost, this::leaving)) {
            own.release(ownCost);
            return false;
        }
        try {
            while (!queue.offer(new Queued(transaction, sourceMillis), 200, TimeUnit.MILLISECONDS)) {
                if (leaving()) {
                    release(transaction);
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(transaction);
            return false;
        }
    }

    private boolean leaving() {
        return stopping.get() || broken;
    }

    private void release(SourceTransaction transaction) {
        own.release(own.cost(transaction.bytes()));
        shared.release(shared.cost(transaction.bytes()));
    }

    // ---------------------------------------------------------------- writer stage

    private void writeLoop() {
        try {
            writeQueued();
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError vm) {
                broken = true;
                throw vm;
            }
            Log.errorf(e, "index writer of %s failed", name);
            fail("the index writer failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } finally {
            // what is still queued is read again from the checkpoint by the next stream: give its memory back
            for (Queued left; (left = queue.poll()) != null; ) {
                release(left.transaction());
            }
        }
    }

    private void writeQueued() {
        List<SourceTransaction> batch = new ArrayList<>();
        while (true) {
            Queued first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                if (stopping.get() || broken || (ended.get() && !reader.isAlive())) {
                    return;
                }
                checkSilence();
                continue;
            }
            batch.clear();
            batch.add(first.transaction());
            long rowCount = first.transaction().rows().size();
            long bytes = first.transaction().bytes();
            // a chunk is written alone; whole transactions are batched up to batchRows rows and one chunk's bytes
            while (first.transaction().complete() && rowCount < settings.batchRows() && bytes < settings.chunkBytes()) {
                Queued next = queue.peek();
                if (next == null || !next.transaction().complete()) {
                    break;
                }
                queue.poll();
                batch.add(next.transaction());
                rowCount += next.transaction().rows().size();
                bytes += next.transaction().bytes();
            }
            boolean written;
            try {
                written = writeWithRetry(batch);
            } finally {
                batch.forEach(this::release);
            }
            if (!written) {
                return;
            }
            SourceTransaction last = batch.get(batch.size() - 1);
            if (last.complete()) {
                long total = 0;
                for (SourceTransaction t : batch) {
                    total += t.totalRows();
                }
                listener.written(batch.size(), total, batch.get(0).commitTime(), last.commitTime());
            }
        }
    }

    private boolean writeWithRetry(List<SourceTransaction> batch) {
        long backoff = 100;
        while (true) {
            try {
                sink.write(batch);
                return true;
            } catch (IndexSink.Inconsistent e) {
                throw e;
            } catch (Exception e) {
                if (stopping.get() || broken) {
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
