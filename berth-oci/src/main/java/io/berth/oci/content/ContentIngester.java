package io.berth.oci.content;

import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;

/** Writes new blobs, each verified on commit (containerd's {@code content.Ingester}). */
public interface ContentIngester {
    /** Starts a new ingest; commit or abort it (close aborts when not committed). */
    ContentWriter writer() throws IOException;

    /** Writes a small blob whole. */
    default Digest put(byte[] data) throws IOException {
        try (ContentWriter w = writer()) {
            w.write(data);
            return w.commit(Digest.of(data), data.length);
        }
    }

    /** Streams {@code in} into a blob, verified against {@code expected} unless it is null. */
    default Digest put(InputStream in, Digest expected) throws IOException {
        try (ContentWriter w = writer()) {
            in.transferTo(w);
            return w.commit(expected, -1);
        }
    }
}
