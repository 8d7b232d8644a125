package io.berth.engine.container;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A probe's output as moby's {@code limitedBuffer} keeps it: the first 4096 bytes, and "..." after them when
 * more was written (the rest is read and dropped, so the probe never blocks on a full pipe).
 */
final class ProbeOutput extends OutputStream {
    static final int MAX = 4096;

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean truncated;

    @Override public synchronized void write(int b) { write(new byte[] {(byte) b}, 0, 1); }

    @Override public synchronized void write(byte[] b, int off, int len) {
        int keep = Math.min(MAX - kept.size(), len);
        if (keep > 0) kept.write(b, off, keep);
        if (keep < len) truncated = true;
    }

    /** The kept bytes as text (invalid UTF-8 replaced, as Go's JSON encoder does), with "..." if cut. */
    @Override public synchronized String toString() {
        String s = kept.toString(StandardCharsets.UTF_8);
        return truncated ? s + "..." : s;
    }
}
