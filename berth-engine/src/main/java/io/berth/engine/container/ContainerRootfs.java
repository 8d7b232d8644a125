package io.berth.engine.container;

import io.berth.engine.content.AtomicFiles;
import io.berth.api.errors.BerthException;
import io.berth.engine.snapshot.OverlaySnapshotter;
import io.berth.engine.snapshot.Snapshot;
import io.berth.engine.sys.Sys;
import io.berth.engine.volume.ContainerVolumes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's root file system: an overlay of its image's layer snapshots (read-only) under its
 * own writable layer ({@code <data-root>/containers/<id>/rw/{fs,work}}), mounted at
 * {@code <exec-root>/containers/<id>/rootfs} while the container runs.
 */
public final class ContainerRootfs {
    private final Sys sys;
    private final OverlaySnapshotter snapshots;
    private final Path dataDir;
    private final Path execDir;
    private final ContainerVolumes volumes;

    /** {@code volumes} are released with the root file system (see {@link #release}). */
    public ContainerRootfs(Sys sys, OverlaySnapshotter snapshots, Path containersData, Path containersExec, ContainerVolumes volumes) {
        this.sys = sys;
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.dataDir = containersData;
        this.execDir = containersExec;
    }

    public Path bundle(String id) { return execDir.resolve(id); }

    public Path target(String id) { return bundle(id).resolve("rootfs"); }

    public Path upper(String id) { return dataDir.resolve(id).resolve("rw").resolve("fs"); }

    /** Creates the writable layer directories (at container create). */
    public void prepare(String id) throws IOException {
        Files.createDirectories(upper(id));
        Files.createDirectories(dataDir.resolve(id).resolve("rw").resolve("work"));
    }

    /** The overlay mount options for the container's layers (top layer first). */
    public String options(String id, List<String> chainIds) {
        List<String> lower = new ArrayList<>();
        for (int i = chainIds.size() - 1; i >= 0; i--) {
            Snapshot s = snapshots.get(io.berth.oci.Digest.parse(chainIds.get(i)))
                    .orElseThrow(() -> new BerthException.NotFound("a layer of the container's image is missing"));
            lower.add(s.fs().toString());
        }
        if (lower.isEmpty()) {
            // an image without layers: an empty lower directory keeps overlay happy
            Path empty = dataDir.resolve(id).resolve("rw").resolve("empty");
            lower.add(empty.toString());
        }
        return "lowerdir=" + String.join(":", lower) + ",upperdir=" + upper(id) + ",workdir="
                + dataDir.resolve(id).resolve("rw").resolve("work");
    }

    /** Mounts the overlay at {@link #target}; returns it. */
    public Path mount(String id, List<String> chainIds) throws IOException {
        Path target = target(id);
        Files.createDirectories(target);
        if (chainIds.isEmpty()) Files.createDirectories(dataDir.resolve(id).resolve("rw").resolve("empty"));
        try {
            sys.mount("overlay", target, "overlay", 0, options(id, chainIds));
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot mount the root file system of " + id + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** Releases the container's volumes, unmounts (lazily, so a straggling process cannot fail it) and removes the bundle directory. */
    public void release(String id) {
        volumes.unmountAll(id);
        Path target = target(id);
        try {
            sys.umount(target, Sys.MNT_DETACH);
        } catch (IOException e) {
            // not mounted: nothing to undo
        }
        try {
            AtomicFiles.deleteTree(bundle(id));
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot remove the bundle of " + id + ": " + e.getMessage(), e);
        }
    }
}
