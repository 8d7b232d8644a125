package io.berth.engine.build;

import io.berth.api.errors.BerthException;
import io.berth.engine.content.AtomicFiles;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The writable root file system of a build step that needs no container (COPY, ADD, WORKDIR): an overlay of the
 * parent image's snapshots under a fresh upper directory made in the snapshot store's staging area, mounted
 * {@code volatile} at a private mount point only while the change is applied. Its upper directory then holds exactly
 * the step's diff, so it can be written as the layer tar and become the layer's snapshot as it is; closing removes
 * what is left (a start of the daemon removes a staging directory a crash left).
 */
final class StepRoot implements AutoCloseable {
    private final Sys sys;
    private final Path staging;
    private final Path mountPoint;
    private final List<Path> lowers;

    /** {@code staging} is an empty directory on the snapshots' file system; {@code lowers} are the layers, top first. */
    StepRoot(Sys sys, Path staging, Path mountPoint, List<Path> lowers) {
        this.sys = sys;
        this.staging = staging;
        this.mountPoint = mountPoint;
        this.lowers = List.copyOf(lowers);
    }

    /** The upper directory: after {@link #apply}, the step's changes in overlay format. */
    Path upper() { return staging.resolve("fs"); }

    /** Mounts the overlay, runs {@code change} on it and unmounts it. */
    void apply(BuildBackend.RootfsChange change) throws IOException {
        Path work = Files.createDirectories(staging.resolve("work"));
        Files.createDirectories(upper());
        List<String> lower = new ArrayList<>();
        for (Path l : lowers) lower.add(l.toString());
        if (lower.isEmpty()) lower.add(Files.createDirectories(staging.resolve("empty")).toString()); // FROM scratch
        String options = "lowerdir=" + String.join(":", lower) + ",upperdir=" + upper() + ",workdir=" + work;
        Files.createDirectories(mountPoint);
        try {
            sys.mount("overlay", mountPoint, "overlay", 0, options + ",volatile");
        } catch (IOException e) {
            mountPlain(options); // a kernel before 5.10 has no volatile overlays
        }
        try {
            change.apply(mountPoint);
        } finally {
            sys.umount(mountPoint, Sys.MNT_DETACH);
        }
    }

    private void mountPlain(String options) {
        try {
            sys.mount("overlay", mountPoint, "overlay", 0, options);
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot mount the root file system of a build step: " + e.getMessage(), e);
        }
    }

    @Override public void close() throws IOException {
        try {
            AtomicFiles.deleteTree(staging);
        } finally {
            Files.deleteIfExists(mountPoint);
        }
    }
}
