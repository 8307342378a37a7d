package dev.rewind.pitr.reconstruct;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * An output file that counts its bytes and computes their SHA-256 as they are written
 * (after compression), and reports a {@link Manifest.Entry} when closed.
 */
final class TrackedOutput extends OutputStream {
    private final OutputStream top;
    private final Counting counting;
    private final String name;
    private final Consumer<Manifest.Entry> onClose;
    private boolean closed;

    private TrackedOutput(Path file, boolean gzip, int level, Consumer<Manifest.Entry> onClose) throws IOException {
        this.name = file.getFileName().toString();
        this.onClose = onClose;
        this.counting = new Counting(Files.newOutputStream(file));
        OutputStream o = counting;
        if (gzip) {
            o = new GZIPOutputStream(o, 1 << 16) {
                {
                    def.setLevel(level);
                }
            };
        }
        // compression, hashing and the file write run behind, on their own thread, when compressing
        this.top = gzip ? Pipe.writeBehind(new BufferedOutputStream(o, 1 << 16), name)
                : new BufferedOutputStream(o, 1 << 16);
    }

    static TrackedOutput create(Path file, boolean gzip, int level, Consumer<Manifest.Entry> onClose)
            throws IOException {
        return new TrackedOutput(file, gzip, level, onClose);
    }

    @Override
    public void write(int b) throws IOException {
        top.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        top.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        top.close();
        onClose.accept(new Manifest.Entry(name, counting.count, HexFormat.of().formatHex(counting.digest.digest())));
    }

    private static final class Counting extends FilterOutputStream {
        final MessageDigest digest;
        long count;

        Counting(OutputStream out) {
            super(out);
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }
    }
}
