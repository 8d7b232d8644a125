package io.berth.engine.runtime;

import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an OCI runtime's commands are put behind. crun 1.8 refuses a hybrid cgroup host ("cgroups in hybrid mode not
 * supported, drop all controllers from cgroupv2") when, with {@code /sys/fs/cgroup} a tmpfs, it finds a cgroup2 mount
 * at {@code /sys/fs/cgroup/unified} whose {@code cgroup.controllers} is not empty; the check is in the cgroup set-up of
 * a new container, and nothing but that mount decides it. There crun runs behind {@code berth-runtime-ns} (a small C
 * launcher, {@code berth-engine/src/main/c}, built by bin/setup): it makes a mount namespace of its own, a copy of the
 * host's at that moment with every mount a slave and the cgroup2 mount detached, and execs the runtime in it (no
 * fork), so crun runs on the v1 controllers and sees what the host has mounted up to that instant; the namespace is
 * gone when the runtime exits.
 *
 * <p>The launcher is the file named by system property {@value #PROPERTY} (bin/berthd sets it to the build's), else
 * {@code berth-runtime-ns} on PATH.
 */
public sealed interface RuntimeLauncher {
    /** The system property naming the launcher's file. */
    String PROPERTY = "berth.runtimeNs";
    /** What the launcher is called on PATH. */
    String NAME = "berth-runtime-ns";

    /** The arguments put before the runtime's binary; {@link BerthException.Unavailable} when it cannot run here. */
    List<String> prefix();

    /** True when the runtime can run behind this (or needs nothing). */
    default boolean usable() {
        return !(this instanceof Missing);
    }

    /** The runtime runs as it is (runc; crun where the host's cgroups are not hybrid). */
    record Direct() implements RuntimeLauncher {
        @Override
        public List<String> prefix() {
            return List.of();
        }
    }

    /** The runtime runs behind {@code berth-runtime-ns} at {@code path}. */
    record OwnNamespace(Path path) implements RuntimeLauncher {
        @Override
        public List<String> prefix() {
            return List.of(path.toString());
        }
    }

    /** The runtime needs the launcher, which is not there; {@code where} says where it was looked for. */
    record Missing(String where) implements RuntimeLauncher {
        @Override
        public List<String> prefix() {
            throw new BerthException.Unavailable(message(), null);
        }

        /** Why crun cannot run, and what to do. */
        public String message() {
            return "crun cannot run on this host's hybrid cgroups without " + NAME + ", which is not " + where
                    + " (bin/setup builds it; or choose runc: --runtime runc)";
        }
    }

    /** The stock one: runc and the runtimes added by name run as they are. */
    RuntimeLauncher DIRECT = new Direct();

    /** What crun runs behind on this host. */
    static RuntimeLauncher forCrun() {
        return forCrun(Path.of("/sys/fs/cgroup"), System.getProperty(PROPERTY), Binaries.find(NAME));
    }

    /**
     * What crun runs behind, for the cgroup mounts under {@code cgroupRoot}: nothing unless crun would refuse them;
     * else the launcher at {@code property} when that is set (a missing file there is {@link Missing}), else
     * {@code onPath}.
     */
    static RuntimeLauncher forCrun(Path cgroupRoot, String property, Optional<Path> onPath) {
        if (!crunRefuses(cgroupRoot)) return DIRECT;
        if (property != null && !property.isBlank()) {
            Path p = Path.of(property);
            return Files.isExecutable(p) ? new OwnNamespace(p) : new Missing("at " + p + " (system property " + PROPERTY + ")");
        }
        return onPath.<RuntimeLauncher>map(OwnNamespace::new).orElseGet(() -> new Missing("on PATH"));
    }

    /**
     * crun 1.8's test: the cgroup root is not a cgroup2 mount (no {@code cgroup.controllers} of its own) and the
     * cgroup2 mount at {@code unified} has controllers in it.
     */
    static boolean crunRefuses(Path cgroupRoot) {
        if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) return false;
        try {
            return !Files.readString(cgroupRoot.resolve("unified").resolve("cgroup.controllers")).isBlank();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true; // unreadable: assume crun would see controllers there
        }
    }
}
