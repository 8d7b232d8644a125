package io.berth.engine.distribution;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream held to a length. {@link #blob} is a blob body held to its descriptor's size: it ends after exactly that
 * many bytes, fails with "unexpected EOF" when the registry sends fewer, and fails as soon as the registry sends a
 * byte beyond them (so an endless body cannot fill the disk), checked when the last expected byte is read; both are a
 * {@link BlobSizeMismatch}.
 * {@link #slice} is the next bytes of a stream that goes on (one chunk of an upload): closing it leaves the stream
 * open.
 */
final class BoundedBlobStream extends FilterInputStream {
    private final String what;
    private final boolean whole;
    private long remaining;
    private boolean checkedEnd;

    private BoundedBlobStream(InputStream in, long length, String what, boolean whole) {
        super(in);
        this.remaining = length;
        this.what = what;
        this.whole = whole;
    }

    /** A whole blob body of {@code size} bytes; closing it closes {@code in}. */
    static InputStream blob(InputStream in, long size, String what) { return new BoundedBlobStream(in, size, what, true); }

    /** The next {@code length} bytes of {@code in}, which stays open. */
    static InputStream slice(InputStream in, long length, String what) { return new BoundedBlobStream(in, length, what, false); }

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
        if (n < 0) {
            String message = "unexpected EOF reading " + what + " (" + remaining + " bytes missing)";
            throw whole ? new BlobSizeMismatch(message) : new EOFException(message);
        }
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

    @Override public void close() throws IOException {
        if (whole) in.close();
    }

    private void checkEnd() throws IOException {
        if (checkedEnd || !whole) return;
        checkedEnd = true;
        if (in.read() >= 0) throw new BlobSizeMismatch(what + " is longer than its descriptor's size");
    }
}
