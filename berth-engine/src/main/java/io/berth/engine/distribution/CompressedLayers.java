package io.berth.engine.distribution;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import java.util.Optional;

/**
 * For layers Berth had to compress before pushing them (made by import, load of a docker-archive, commit, build):
 * DiffID → the gzip blob made of it, kept in the content store, so a layer is compressed once and every later push
 * sends the same bytes (moby keeps the same mapping in its V2 metadata, but compresses again each time).
 */
public interface CompressedLayers {
    /** The compressed blob made of the layer {@code diffId}, if one was. */
    Optional<Descriptor> compressed(Digest diffId);

    /** Remembers that {@code blob} is the compressed form of the layer {@code diffId}. */
    void rememberCompressed(Digest diffId, Descriptor blob);
}
