package io.berth.engine.volume;

import io.berth.api.container.HostConfig;
import io.berth.engine.runtime.spec.MountSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The volumes side of a container's life: mounts recorded at create, mounted at start, released at stop and removal. */
public interface ContainerVolumes {
    /**
     * At create: parses and validates the container's mounts, creates the volumes they name (and
     * anonymous ones), creates missing {@code -v} bind sources, and records the mounts.
     * {@code mountsOf} gives another container's mounts for {@code --volumes-from} (by name or ID).
     */
    List<MountPoint> register(String containerId, HostConfig hostConfig, Map<String, ?> configVolumes,
                              Function<String, String> containerIdOf);

    /** At start: mounts volume devices, fills empty volumes from the image, and returns the OCI mounts. */
    List<MountSpec> mountAll(String containerId, Path rootfs);

    /** At stop: releases what {@link #mountAll} took (idempotent). */
    void unmountAll(String containerId);

    /** At removal: forgets the container's mounts and, when asked, removes its anonymous volumes no one else uses. */
    void forget(String containerId, boolean removeAnonymous);

    /** {@code Mounts} of container inspect and list. */
    List<io.berth.api.container.MountPoint> describe(String containerId);

    /** No volumes at all (tests of the container service without a volume store). */
    ContainerVolumes NONE = new ContainerVolumes() {
        @Override public List<MountPoint> register(String id, HostConfig h, Map<String, ?> v, Function<String, String> c) { return List.of(); }
        @Override public List<MountSpec> mountAll(String id, Path rootfs) { return List.of(); }
        @Override public void unmountAll(String id) { }
        @Override public void forget(String id, boolean removeAnonymous) { }
        @Override public List<io.berth.api.container.MountPoint> describe(String id) { return List.of(); }
    };
}
