package io.berth.engine.content;

import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Computes the sha256 of everything read through it, skipped bytes included. */
public final class HashingInputStream extends ObservedInputStream {
    private final MessageDigest sha = Digest.sha256();

    public HashingInputStream(InputStream in) { super(in); }

    @Override protected void observe(byte[] b, int off, int len) { sha.update(b, off, len); }

    /** Reads the rest of the stream and returns the digest of all of it. */
    public Digest drainAndDigest() throws IOException {
        drain();
        return Digest.of(sha);
    }
}
