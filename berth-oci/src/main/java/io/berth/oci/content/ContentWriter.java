package io.berth.oci.content;

import io.berth.oci.Digest;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One ingest (containerd's {@code content.Writer}): bytes written are hashed as they go, and
 * become a blob only by {@link #commit}, after their digest and size are verified. Closing an
 * uncommitted writer aborts it: nothing becomes visible.
 */
public abstract class ContentWriter extends OutputStream {
    /** Bytes written so far. */
    public abstract long size();

    /**
     * Verifies and publishes the blob; returns its digest. {@code expected} may be null and
     * {@code expectedSize} -1 when unknown. A mismatch is
     * {@link io.berth.api.errors.BerthException.InvalidArgument} and nothing becomes visible.
     */
    public abstract Digest commit(Digest expected, long expectedSize) throws IOException;
}
