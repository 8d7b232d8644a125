package io.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where things are: the project root, the shared fixtures, the JDK running the tests, a busybox rootfs tar. */
public final class Project {
    private static Path rootfs;

    private Project() {}

    /** The repository root (holds {@code bin/mkrootfs}). */
    public static Path root() {
        String prop = System.getProperty("berth.projectRoot");
        if (prop != null && Files.isRegularFile(Path.of(prop, "bin", "mkrootfs"))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/mkrootfs")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the project root (bin/mkrootfs) from " + Path.of("").toAbsolutePath());
    }

    /** {@code ../shared/fixtures/<name>} relative to the project root; must exist. */
    public static Path fixture(String name) {
        Path p = root().resolve("../shared/fixtures").resolve(name).normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("fixture missing: " + p + " (the shared/ folder must sit beside the repository)");
        }
        return p;
    }

    /** berth-runtime-ns as bin/setup builds it (bin/lib/runtime-ns): crun's launcher on a hybrid cgroup host. */
    public static Path runtimeLauncher() {
        return root().resolve("berth-engine/target/native/berth-runtime-ns");
    }

    public static Path javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** This JVM's class path: it holds berth-server, berth-cli and their dependencies. */
    public static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** A busybox root file system tar made once per test JVM by {@code bin/mkrootfs}. */
    public static synchronized Path busyboxRootfs() {
        if (rootfs == null) {
            try {
                Path dir = Files.createTempDirectory("berth-it-rootfs-");
                Path tar = dir.resolve("busybox-rootfs.tar");
                Cmd.of(root().resolve("bin/mkrootfs").toString(), tar.toString()).timeout(Duration.ofSeconds(60)).run().ok();
                dir.toFile().deleteOnExit();
                tar.toFile().deleteOnExit();
                rootfs = tar;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rootfs;
    }

    /** True when this process runs as root (integration tests need root). */
    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
