package io.berth.oci.content;

import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads committed blobs by digest (containerd's {@code content.Provider} with the size of its
 * {@code InfoProvider}). A missing blob is {@link io.berth.api.errors.BerthException.NotFound}.
 */
public interface ContentProvider {
    /** True if the blob is committed. */
    boolean exists(Digest digest);

    /** The blob's size in bytes. */
    long size(Digest digest);

    /** The blob's bytes as a stream; the caller closes it. */
    InputStream open(Digest digest) throws IOException;

    /** The whole blob (for small ones: manifests, configs, indexes). */
    byte[] read(Digest digest) throws IOException;
}
