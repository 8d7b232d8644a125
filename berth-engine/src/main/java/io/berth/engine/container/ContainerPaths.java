package io.berth.engine.container;

import io.berth.api.container.MountPoint;
import io.berth.engine.archive.ScopedPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where a container's paths lie on the host, as its processes see them: under its root file
 * system, except below the destination of one of its mounts (a volume's {@code _data}, a bind
 * mount's source, the host copies of the files berthd binds in), the deepest one winning.
 * Docker mounts a container's volumes over its root for docker cp in every state; Berth maps the
 * paths instead, so cp reaches the volumes of a created or stopped container, and of a running one
 * whose mounts live in its own mount namespace only. tmpfs mounts have no host side and are not mapped.
 */
final class ContainerPaths {
    /** One mount: its destination's components, its host source, and whether it is writable. */
    record Mount(List<String> destination, Path source, boolean rw) {}

    private final Path root;
    private final List<Mount> mounts; // deepest destination first

    ContainerPaths(Path root, List<Mount> mounts) {
        this.root = root;
        this.mounts = mounts.stream().sorted(Comparator.comparingInt((Mount m) -> m.destination().size()).reversed()).toList();
    }

    /** The container's volume and bind mounts (as inspect lists them) and the files berthd binds in (those that exist). */
    static ContainerPaths of(Path root, List<MountPoint> mountPoints, Map<String, Path> boundFiles) {
        List<Mount> mounts = new ArrayList<>();
        boundFiles.forEach((dest, file) -> {
            if (Files.exists(file)) mounts.add(new Mount(ScopedPath.clean(dest), file, true));
        });
        for (MountPoint m : mountPoints) {
            if (m.source() == null || m.source().isEmpty() || !("volume".equals(m.type()) || "bind".equals(m.type()))) continue;
            mounts.add(new Mount(ScopedPath.clean(m.destination()), real(Path.of(m.source())), m.rw()));
        }
        return new ContainerPaths(root, mounts);
    }

    /** A bind source that is a symlink on the host is mounted where it points: never follow it as a container symlink. */
    private static Path real(Path source) {
        try {
            return source.toRealPath();
        } catch (IOException e) {
            return source;
        }
    }

    /** The host path of resolved container path components. */
    Path host(List<String> components) {
        Mount m = mountOf(components);
        if (m == null) return ScopedPath.host(root, components);
        return ScopedPath.host(m.source(), components.subList(m.destination().size(), components.size()));
    }

    /** The mount holding resolved components, or null when they lie in the root file system. */
    Mount mountOf(List<String> components) {
        for (Mount m : mounts) {
            if (components.size() >= m.destination().size() && components.subList(0, m.destination().size()).equals(m.destination())) return m;
        }
        return null;
    }

    /** {@code path} followed as the container sees it (symlinks in scope, through the mounts). */
    List<String> follow(String path) throws IOException {
        return ScopedPath.follow(this::host, path);
    }
}
