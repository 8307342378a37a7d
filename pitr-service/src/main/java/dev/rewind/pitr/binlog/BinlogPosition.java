package dev.rewind.pitr.binlog;

/**
 * A position in a source's binlog: the file and the byte offset of the next event to read.
 *
 * <p>{@link #seq()} orders positions across files: the file's number (the suffix {@code .000042}) times 2^32 plus
 * the offset. A binlog file never reaches 4 GiB ({@code max_binlog_size} is at most 1 GiB).
 */
public record BinlogPosition(String file, long position) {

    public long seq() {
        return seq(file, position);
    }

    public static long seq(String file, long position) {
        return (fileNumber(file) << 32) | position;
    }

    public static long fileNumber(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a binlog file name: " + file, e);
        }
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}
