package dev.rewind.pitr.reconstruct;

import java.util.Arrays;

/** A growable byte buffer that SQL literals are written into (bytes, not chars: strings are binary). */
public final class SqlLiteralBuilder {
    private byte[] buf;
    private int len;

    public SqlLiteralBuilder(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public int length() {
        return len;
    }

    public byte[] buffer() {
        return buf;
    }

    public void reset() {
        len = 0;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    public SqlLiteralBuilder ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    public SqlLiteralBuilder raw(byte b) {
        ensure(1);
        buf[len++] = b;
        return this;
    }

    public SqlLiteralBuilder raw(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    /** A double-quoted string with mydumper's escapes (\0 \' \" \\ \n \r \Z); other bytes as they are. */
    public SqlLiteralBuilder quoted(byte[] b, int off, int n) {
        ensure(n * 2 + 2);
        buf[len++] = '"';
        for (int i = off, end = off + n; i < end; i++) {
            byte c = b[i];
            switch (c) {
                case 0 -> { buf[len++] = '\\'; buf[len++] = '0'; }
                case '\'' -> { buf[len++] = '\\'; buf[len++] = '\''; }
                case '"' -> { buf[len++] = '\\'; buf[len++] = '"'; }
                case '\\' -> { buf[len++] = '\\'; buf[len++] = '\\'; }
                case '\n' -> { buf[len++] = '\\'; buf[len++] = 'n'; }
                case '\r' -> { buf[len++] = '\\'; buf[len++] = 'r'; }
                case 26 -> { buf[len++] = '\\'; buf[len++] = 'Z'; }
                default -> buf[len++] = c;
            }
        }
        buf[len++] = '"';
        return this;
    }
}
