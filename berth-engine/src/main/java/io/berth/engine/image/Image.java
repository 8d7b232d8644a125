package io.berth.engine.image;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import java.time.Instant;
import java.util.List;

/**
 * An image in the store. {@code id} is the digest of the config blob; {@code manifestDigest} is
 * the manifest blob Berth keeps for it (the one it was loaded with, or one Berth wrote).
 * {@code parent} is set only on images committed or built here (moby's {@code imagedb/metadata/…/parent}): the image
 * it was made on, or "" when it was built on nothing ({@code FROM scratch}); null for pulled, loaded and imported
 * images. Only images with a parent are build-cache candidates ("built locally").
 */
public record Image(Digest id, Digest manifestDigest, ImageConfig config, List<Layer> layers, Instant lastTagTime,
                    List<String> repoDigests, String parent) {

    /** One layer: the blob as stored, its uncompressed digest, and the ChainID of the stack up to it. */
    public record Layer(Descriptor blob, Digest diffId, Digest chainId) {}

    public Image {
        layers = List.copyOf(layers);
        repoDigests = List.copyOf(repoDigests);
    }

    public Digest topChainId() { return layers.isEmpty() ? null : layers.getLast().chainId(); }

    public Image withLastTagTime(Instant t) { return new Image(id, manifestDigest, config, layers, t, repoDigests, parent); }

    public Image withParent(String p) { return new Image(id, manifestDigest, config, layers, lastTagTime, repoDigests, p); }

    /** Committed or built here: a candidate for the build cache. */
    public boolean builtLocally() { return parent != null; }
}
