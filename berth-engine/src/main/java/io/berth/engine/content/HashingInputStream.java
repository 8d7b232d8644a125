package io.berth.engine.content;

import io.berth.engine.oci.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Computes the sha256 of everything read through it, skipped bytes included (unlike
 * {@link java.security.DigestInputStream}, whose {@code skip} bypasses the digest).
 */
public final class HashingInputStream extends FilterInputStream {
    private final MessageDigest sha = Digest.sha256();
    private final byte[] skipBuffer = new byte[8192];

    public HashingInputStream(InputStream in) { super(in); }

    @Override public int read() throws IOException {
        int b = in.read();
        if (b >= 0) sha.update((byte) b);
        return b;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) sha.update(b, off, n);
        return n;
    }

    @Override public long skip(long n) throws IOException {
        long done = 0;
        while (done < n) {
            int r = read(skipBuffer, 0, (int) Math.min(skipBuffer.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    @Override public boolean markSupported() { return false; }

    /** Reads the rest of the stream and returns the digest of all of it. */
    public Digest drainAndDigest() throws IOException {
        while (read(skipBuffer, 0, skipBuffer.length) >= 0) {
            // hashing happens in read
        }
        return Digest.of(sha);
    }
}
