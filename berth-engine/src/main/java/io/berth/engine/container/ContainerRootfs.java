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
    private volatile boolean volatileOk = true;

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
    public Path mount(String id, List<String> chainIds) throws IOException { return mount(id, chainIds, false); }

    /**
     * Mounts the overlay at {@link #target}; returns it. A {@code transient} root file system (a build step's, thrown
     * away or committed right after, or an auto-remove container's) is mounted {@code volatile} where the kernel has it
     * (5.10+): its unmount then skips
     * the sync of the whole upper file system that overlayfs otherwise does, which costs as much as everything dirty
     * on the data root (tens of milliseconds per build step after a large context). A crash of the host may then lose
     * writes to it, as it may to a pulled layer's files (see the design notes).
     */
    public Path mount(String id, List<String> chainIds, boolean transientRoot) throws IOException {
        Path target = target(id);
        Files.createDirectories(target);
        if (chainIds.isEmpty()) Files.createDirectories(dataDir.resolve(id).resolve("rw").resolve("empty"));
        String options = options(id, chainIds);
        try {
            if (transientRoot && volatileOk) {
                // the marker a clean volatile mount leaves; overlayfs refuses to mount the same upper again while it exists
                AtomicFiles.deleteTree(dataDir.resolve(id).resolve("rw").resolve("work").resolve("work").resolve("incompat"));
                try {
                    sys.mount("overlay", target, "overlay", 0, options + ",volatile");
                } catch (IOException e) {
                    sys.mount("overlay", target, "overlay", 0, options);
                    volatileOk = false; // a kernel before 5.10: the option is unknown, the plain mount works
                }
                return target;
            }
            sys.mount("overlay", target, "overlay", 0, options);
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot mount the root file system of " + id + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** Releases the container's volumes (unmounts those it mounted with options); the part of a release that can fail. */
    public void releaseVolumes(String id) { volumes.unmountAll(id); }

    /** Releases the container's volumes, unmounts (lazily, so a straggling process cannot fail it) and removes the bundle directory. */
    public void release(String id) {
        releaseVolumes(id);
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
