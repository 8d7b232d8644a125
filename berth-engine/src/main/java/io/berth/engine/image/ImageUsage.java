package io.berth.engine.image;

import io.berth.oci.Digest;
import java.util.List;
import java.util.Set;

/**
 * Which containers use images, as the image side needs to know it: rmi's conflicts and the
 * {@code Containers} counts, and the layers garbage collection must keep. Implemented by the
 * container store, which the image store and service are given at construction.
 */
public interface ImageUsage {
    /** The containers whose image is {@code imageId} (its full {@code sha256:…} ID). */
    List<? extends ImageUser> usersOf(String imageId);

    /** The ChainIDs of every container's image layers. */
    Set<Digest> layersInUse();

    /** A container that uses an image, as rmi's conflict messages name it. */
    interface ImageUser {
        String id();

        boolean isRunning();
    }

    /** No containers at all (tests of the image side alone). */
    ImageUsage NONE = new ImageUsage() {
        @Override public List<ImageUser> usersOf(String imageId) { return List.of(); }

        @Override public Set<Digest> layersInUse() { return Set.of(); }
    };
}
