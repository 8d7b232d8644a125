package io.berth.oci.content;

import io.berth.oci.Digest;
import java.io.IOException;
import java.util.Set;

/** Manages the committed blobs as a set (containerd's {@code content.Manager}): walk them, delete them. */
public interface ContentManager {
    /** The digests of every committed blob. */
    Set<Digest> list() throws IOException;

    /** Deletes a blob; deleting a missing one is not an error. */
    void delete(Digest digest) throws IOException;
}
