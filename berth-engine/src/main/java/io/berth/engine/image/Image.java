package io.berth.engine.image;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import java.time.Instant;
import java.util.List;

/**
 * An image in the store. {@code id} is the digest of the config blob; {@code manifestDigest} is
 * the manifest blob Berth keeps for it (the one it was loaded with, or one Berth wrote).
 */
public record Image(Digest id, Digest manifestDigest, ImageConfig config, List<Layer> layers, Instant lastTagTime,
                    List<String> repoDigests) {

    /** One layer: the blob as stored, its uncompressed digest, and the ChainID of the stack up to it. */
    public record Layer(Descriptor blob, Digest diffId, Digest chainId) {}

    public Image {
        layers = List.copyOf(layers);
        repoDigests = List.copyOf(repoDigests);
    }

    public Digest topChainId() { return layers.isEmpty() ? null : layers.getLast().chainId(); }

    public Image withLastTagTime(Instant t) { return new Image(id, manifestDigest, config, layers, t, repoDigests); }
}
