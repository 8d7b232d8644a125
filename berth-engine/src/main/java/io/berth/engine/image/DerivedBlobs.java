package io.berth.engine.image;

import io.berth.oci.Digest;
import java.util.Set;

/**
 * Blobs that garbage collection keeps beside the ones images name: other forms of live layers, such as the gzip blob
 * a push made once of an uncompressed layer (so the next push reuses it). Implemented by the distribution metadata,
 * which the image store is given at construction.
 */
@FunctionalInterface
public interface DerivedBlobs {
    /** The blobs derived from the layers whose DiffIDs are {@code diffIds}. */
    Set<Digest> of(Set<Digest> diffIds);

    /** None (stores without a registry side). */
    DerivedBlobs NONE = diffIds -> Set.of();
}
