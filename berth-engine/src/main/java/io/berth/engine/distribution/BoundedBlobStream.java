package io.berth.engine.distribution;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob body held to its descriptor's size: it ends after exactly {@code expected} bytes, fails with
 * "unexpected EOF" when the registry sends fewer, and fails as soon as the registry sends a byte beyond them (so an
 * endless body cannot fill the disk), checked when the last expected byte is read.
 */
final class BoundedBlobStream extends FilterInputStream {
    private final String what;
    private long remaining;
    private boolean checkedEnd;

    BoundedBlobStream(InputStream in, long expected, String what) {
        super(in);
        this.remaining = expected;
        this.what = what;
    }

    @Override public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (remaining == 0) {
            checkEnd();
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) throw new EOFException("unexpected EOF reading " + what + " (" + remaining + " bytes missing)");
        remaining -= n;
        if (remaining == 0) checkEnd();
        return n;
    }

    @Override public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) break;
            skipped += r;
        }
        return skipped;
    }

    @Override public int available() throws IOException { return (int) Math.min(in.available(), remaining); }

    @Override public boolean markSupported() { return false; }

    private void checkEnd() throws IOException {
        if (checkedEnd) return;
        checkedEnd = true;
        if (in.read() >= 0) throw new IOException(what + " is longer than its descriptor's size");
    }

    /**
     * The next {@code length} bytes of a stream that stays open (one chunk of an upload): ends after them, fails with
     * "unexpected EOF" if the stream ends first, and leaves the underlying stream open when closed.
     */
    static final class Slice extends FilterInputStream {
        private final String what;
        private long remaining;

        Slice(InputStream in, long length, String what) {
            super(in);
            this.remaining = length;
            this.what = what;
        }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) return -1;
            if (len == 0) return 0;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) throw new EOFException("unexpected EOF reading " + what + " (" + remaining + " bytes missing)");
            remaining -= n;
            return n;
        }

        @Override public void close() {
            // the chunk ends; the stream goes on
        }
    }
}
