package dev.rewind.pitr.binlog;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Memory that read-but-unwritten rows may hold, in bytes (counted in KiB). Readers take from it before they queue
 * rows and writers give back once the rows are in the index, so a reader that is ahead waits (its socket fills, the
 * source holds the binlog) instead of growing the heap. One budget is shared by every stream of the process; each
 * stream also has its own, so one server catching up cannot take all of it.
 *
 * <p>An item larger than the whole budget takes the whole budget: it still passes, alone.
 */
public final class IngestBudget {

    private final int permits;
    private final Semaphore semaphore;

    public IngestBudget(long bytes) {
        this.permits = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / 1024));
        this.semaphore = new Semaphore(permits, true);
    }

    /** The permits an item of this size takes. */
    int cost(long bytes) {
        return (int) Math.max(1, Math.min(permits, (bytes + 1023) / 1024));
    }

    /**
     * Takes room for {@code bytes}, waiting while it is not there.
     *
     * @return false when {@code cancelled} became true (or the thread was interrupted) before there was room
     */
    boolean acquire(int cost, BooleanSupplier cancelled) {
        try {
            while (!semaphore.tryAcquire(cost, 200, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void release(int cost) {
        semaphore.release(cost);
    }

    /** Bytes in use right now. */
    public long usedBytes() {
        return (long) (permits - semaphore.availablePermits()) * 1024;
    }

    public long totalBytes() {
        return (long) permits * 1024;
    }
}
