package dev.rewind.pitr.reconstruct;

import java.nio.file.Path;

/**
 * What one table's merge may hold in memory, and where it spills beyond that.
 *
 * @param changeBytes the changes of a table (their images, estimated) held in memory at most; a table with more is
 *                    merged in partitions by key on disk ({@link TableMerger}), each partition within this again
 * @param spillDir    where such partitions are written (a folder of its own per merge, removed afterwards)
 */
public record MergeMemory(long changeBytes, Path spillDir) {

    public MergeMemory {
        if (changeBytes < 1) {
            throw new IllegalArgumentException("changeBytes must be positive");
        }
        if (spillDir == null) {
            throw new IllegalArgumentException("spillDir is required");
        }
    }

    /** 64 MiB of changes per table, spilling under the temp directory. */
    public static MergeMemory defaults() {
        return new MergeMemory(64L << 20, Path.of(System.getProperty("java.io.tmpdir"), "rewind-merge"));
    }
}
