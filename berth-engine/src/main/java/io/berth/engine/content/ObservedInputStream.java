package io.berth.engine.content;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that shows every byte read through it to {@link #observe}, skipped bytes included
 * ({@code skip} reads instead of seeking, unlike {@link java.security.DigestInputStream}).
 */
public abstract class ObservedInputStream extends FilterInputStream {
    private final byte[] skipBuffer = new byte[8192];

    protected ObservedInputStream(InputStream in) { super(in); }

    /** Called with each run of bytes read, in order. */
    protected abstract void observe(byte[] b, int off, int len) throws IOException;

    @Override public final int read() throws IOException {
        int b = in.read();
        if (b >= 0) observe(new byte[] {(byte) b}, 0, 1);
        return b;
    }

    @Override public final int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) observe(b, off, n);
        return n;
    }

    @Override public final long skip(long n) throws IOException {
        long done = 0;
        while (done < n) {
            int r = read(skipBuffer, 0, (int) Math.min(skipBuffer.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    /** Reads the rest of the stream (observing it). */
    public final void drain() throws IOException {
        while (read(skipBuffer, 0, skipBuffer.length) >= 0) {
            // observe() sees it all
        }
    }

    @Override public final boolean markSupported() { return false; }
}
