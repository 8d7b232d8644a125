package io.berth.engine.snapshot;

import io.berth.oci.Digest;
import java.nio.file.Path;

/**
 * A committed, read-only layer snapshot: the unpacked diff of one layer, stored in overlay format
 * under {@code <snapshots>/<key>/fs}, identified by its ChainID.
 *
 * @param size      bytes of file content in the layer (what Docker reports as layer size)
 * @param diskUsage bytes the layer's directory occupies on disk (allocated blocks)
 */
public record Snapshot(String key, Digest chainId, Digest parent, Digest diffId, long size, long diskUsage, Path dir) {
    public Path fs() { return dir.resolve("fs"); }
}
