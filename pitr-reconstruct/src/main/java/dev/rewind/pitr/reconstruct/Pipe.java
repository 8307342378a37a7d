package dev.rewind.pitr.reconstruct;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Moves (de)compression off the merging thread: a {@link #readAhead} stream inflates on its own
 * thread while rows are parsed, a {@link #writeBehind} stream deflates, hashes and writes on its
 * own thread while rows are merged — so a 2-core machine works on both ends at once.
 */
final class Pipe {
    private static final int CHUNK = 1 << 18;
    private static final int DEPTH = 4;
    private static final byte[] EOF = new byte[0];

    private Pipe() {
    }

    /** Reads {@code source} on a background thread, {@value #CHUNK} bytes at a time. */
    static InputStream readAhead(InputStream source, String name) {
        return new ReadAhead(source, name);
    }

    /** Writes to {@code sink} (and closes it) on a background thread. */
    static OutputStream writeBehind(OutputStream sink, String name) {
        return new WriteBehind(sink, name);
    }

    private record Chunk(byte[] data, int length) {
    }

    private static final class ReadAhead extends InputStream {
        private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(DEPTH);
        private final Thread thread;
        private final InputStream source;
        private volatile IOException failure;
        private volatile boolean closed;
        private Chunk current;
        private int pos;
        private boolean eof;

        ReadAhead(InputStream source, String name) {
            this.source = source;
            this.thread = new Thread(this::pump, "pitr-reconstruct-read " + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void pump() {
            try {
                while (!closed) {
                    byte[] buf = new byte[CHUNK];
                    int n = source.readNBytes(buf, 0, CHUNK);
                    if (n > 0) {
                        full.put(new Chunk(buf, n));
                    }
                    if (n < CHUNK) {
                        break;
                    }
                }
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException(e);
            } catch (InterruptedException e) {
                return;
            }
            try {
                full.put(new Chunk(EOF, 0));
            } catch (InterruptedException ignored) {
                // closing
            }
        }

        private boolean fill() throws IOException {
            while (current == null || pos == current.length()) {
                if (eof) {
                    return false;
                }
                try {
                    current = full.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading");
                }
                pos = 0;
                if (current.data() == EOF) {
                    eof = true;
                    if (failure != null) {
                        throw failure;
                    }
                    return false;
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? current.data()[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, current.length() - pos);
            System.arraycopy(current.data(), pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            source.close();
        }
    }

    private static final class WriteBehind extends OutputStream {
        private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(DEPTH);
        private final Thread thread;
        private final OutputStream sink;
        private volatile IOException failure;
        private byte[] buf = new byte[CHUNK];
        private int len;
        private boolean closed;

        WriteBehind(OutputStream sink, String name) {
            this.sink = sink;
            this.thread = new Thread(this::drain, "pitr-reconstruct-write " + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void drain() {
            try {
                while (true) {
                    Chunk c = full.take();
                    if (c.data() == EOF) {
                        break;
                    }
                    if (failure == null) {
                        sink.write(c.data(), 0, c.length());
                    }
                }
                if (failure == null) {
                    sink.close();
                }
            } catch (IOException e) {
                failure = e;
                drainAfterFailure();
            } catch (RuntimeException e) {
                failure = new IOException(e);
                drainAfterFailure();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void drainAfterFailure() {
            try {
                while (full.take().data() != EOF) {
                    // discard: the writer learns of the failure on its next write or close
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                sink.close();
            } catch (IOException ignored) {
                // the first failure is the one reported
            }
        }

        private void check() throws IOException {
            if (failure != null) { // a fresh exception each time: write and close may both report it
                throw new IOException(failure.getMessage(), failure);
            }
        }

        private void pass() throws IOException {
            check();
            try {
                full.put(new Chunk(buf, len));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing");
            }
            buf = new byte[CHUNK];
            len = 0;
        }

        @Override
        public void write(int b) throws IOException {
            if (len == buf.length) {
                pass();
            }
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            while (n > 0) {
                if (len == buf.length) {
                    pass();
                }
                int k = Math.min(n, buf.length - len);
                System.arraycopy(b, off, buf, len, k);
                len += k;
                off += k;
                n -= k;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (len > 0) {
                pass();
            }
            try {
                full.put(new Chunk(EOF, 0));
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while closing");
            }
            check();
        }

        @Override
        public String toString() {
            return "WriteBehind[" + len + " bytes pending]";
        }
    }
}
