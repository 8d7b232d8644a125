package io.berth.engine.build;

import io.berth.api.image.ContainerConfig;
import io.berth.api.registry.AuthConfig;
import io.berth.engine.service.BuildService;
import io.berth.engine.service.ProgressSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The builder's only way to the engine (moby's {@code builder.Backend} and {@code ImageCache}): images, the layer
 * cache, the build's RUN containers and commits. The {@link Builder} holds no engine type, so it is tested with a
 * fake of this interface; {@link EngineBuildBackend} is the engine's.
 */
public interface BuildBackend {
    /** An image as a stage starts from it: its ID ({@code sha256:…}), run configuration and platform. */
    record BaseImage(String id, ContainerConfig config, String os, String architecture) {}

    /** Where a base image comes from and how to get it when it is missing (or always, with {@code pull}). */
    record Pull(boolean always, String platform, Map<String, AuthConfig> auth, ProgressSink progress) {}

    /** Resolves {@code ref} to a local image, pulling it as {@link Pull} says; NotFound when it cannot be had. */
    BaseImage image(String ref, Pull pull);

    /**
     * The layer cache: a child of {@code parentId} (null: scratch) built locally whose stored container config equals
     * {@code probe} under Docker's {@code compare()}, newest first; {@code cacheFrom} (may be empty) as moby's rules.
     * Null on a miss.
     */
    String probe(String parentId, ContainerConfig probe, List<String> cacheFrom);

    /** An extra mount of a RUN container (RUN --mount and heredoc scripts). */
    record Mount(String type, Path source, String target, boolean readOnly, List<String> options) {}

    /**
     * A RUN container's host side: network mode ({@code default}, {@code none}, {@code host}, or a network), extra
     * hosts, resources, extra mounts.
     */
    record RunHost(String networkMode, List<String> extraHosts, BuildService.Resources resources, List<Mount> mounts) {}

    /**
     * Creates a hidden container (never listed, never in a name conflict) from {@code imageId} (null: scratch) with
     * {@code config}; not started. Returns its full ID.
     */
    String createContainer(String imageId, ContainerConfig config, RunHost host);

    /** Receives a RUN container's output, chunk by chunk, as it comes. */
    interface Output {
        void stdout(byte[] chunk);

        void stderr(byte[] chunk);
    }

    /** Starts the container, streams its output and returns its exit code once it exited. */
    int run(String containerId, Output output) throws InterruptedException;

    /** Kills a running build container (a cancelled build). */
    void kill(String containerId);

    /**
     * Runs {@code change} on a writable root file system over {@code commit}'s parent image (mounted while it runs) and
     * commits what it changed as a new image, without a container: COPY, ADD and WORKDIR.
     */
    String commitChange(Commit commit, RootfsChange change) throws IOException;

    /** A change to a mounted root file system. */
    @FunctionalInterface
    interface RootfsChange {
        void apply(Path rootfs) throws IOException;
    }

    /** A read-only view of an image's root file system (COPY --from, RUN --mount from=); closing unmounts it. */
    interface ImageRoot extends AutoCloseable {
        Path root();

        @Override void close();
    }

    ImageRoot mountImage(String imageId);

    /**
     * What a commit writes into the image: its run config, the probe config (stored as {@code container_config}, the
     * cache key), the history's {@code created_by}, the author (MAINTAINER), the parent image (null: scratch).
     */
    record Commit(String parentId, ContainerConfig config, ContainerConfig containerConfig, String createdBy,
                  String author) {}

    /**
     * Commits a container's changes as a new image (an empty diff is an {@code empty_layer} history entry). With
     * {@code removeAfter} the caller removes the container right after the commit, so its writable layer may become
     * the image's layer as it is, moved rather than unpacked again from the layer tar.
     */
    String commit(String containerId, Commit commit, boolean removeAfter);

    /** Commits a metadata-only step: the parent's layers, a new config, an {@code empty_layer} history entry. */
    String commitMetadata(Commit commit);

    /** Tags {@code imageId} as {@code ref}; returns the familiar form Docker prints ({@code name:tag}). */
    String tag(String imageId, String ref);

    /** Removes a build container and what it holds (mounts, cgroups, monitor, rw layer); absent is fine. */
    void removeContainer(String containerId);

    /** An image built here that is only build cache: its size is its own layer's, {@code created} its config's. */
    record CachedImage(String id, String parent, long size, java.time.Instant created) {}

    /**
     * The images built here that nothing needs — untagged, used by no container, and only such images built on
     * them — children before their parents, so they can be removed in order.
     */
    List<CachedImage> buildOnlyImages();

    /** Removes a build-only image (its layers go with the store's garbage collection). */
    void removeImage(String imageId);
}
