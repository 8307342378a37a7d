package dev.rewind.pitr.reconstruct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PipeTest {

    @Test
    void readAheadAndWriteBehindPassEveryByteInOrder() throws IOException {
        byte[] data = new byte[3_000_000];
        new Random(1).nextBytes(data);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = Pipe.writeBehind(sink, "t")) {
            for (int off = 0; off < data.length; ) {
                int n = Math.min(data.length - off, 1 + off % 70_001);
                out.write(data, off, n);
                off += n;
            }
            out.write(7);
        }
        byte[] written = sink.toByteArray();
        assertArrayEquals(data, java.util.Arrays.copyOf(written, data.length));
        try (InputStream in = Pipe.readAhead(new ByteArrayInputStream(written), "t")) {
            assertArrayEquals(written, in.readAllBytes());
        }
    }

    @Test
    void aFailingSourceFailsTheReader() {
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 500_000) {
                    throw new IOException("connection reset");
                }
                return 1;
            }
        };
        IOException e = assertThrows(IOException.class, () -> {
            try (InputStream in = Pipe.readAhead(broken, "t")) {
                in.readAllBytes();
            }
        });
        assertTrue(e.getMessage().contains("connection reset"));
    }

    @Test
    void aFailingSinkFailsTheWriterAtTheLatestOnClose() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        IOException e = assertThrows(IOException.class, () -> {
            try (OutputStream out = Pipe.writeBehind(broken, "t")) {
                for (int i = 0; i < 100; i++) {
                    out.write(new byte[100_000]);
                }
            }
        });
        assertTrue(e.getMessage().contains("disk full"));
    }
}
