package io.berth.it.support;

import io.berth.engine.sys.MountInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code /proc/self/mountinfo}; mounts, unmounts. */
public final class Mounts {
    private Mounts() {}

    /** Mount points at or below {@code dir}, in mount order. */
    public static List<String> under(Path dir) {
        String d = dir.toAbsolutePath().normalize().toString();
        List<String> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                String mp = MountInfo.unescape(f[4]);
                if (mp.equals(d) || mp.startsWith(d + "/")) {
                    found.add(mp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /**
     * Mount points below the exec root {@code execRoot} other than the daemon's own directories for container mounts
     * ({@code containers} and {@code netns}, mount points of their own where crun runs behind berth-runtime-ns).
     */
    public static List<String> ofContainersUnder(Path execRoot) {
        Path root = execRoot.toAbsolutePath().normalize();
        List<String> own = List.of(root.resolve("containers").toString(), root.resolve("netns").toString());
        List<String> found = under(root);
        found.removeIf(own::contains);
        return found;
    }

    /** Mounts a read-only overlay of {@code lowerdirs} (top first, colon-separated) on {@code target}. */
    public static void mountOverlayReadOnly(String lowerdirs, Path target) {
        Cmd.of("mount", "-t", "overlay", "overlay", "-o", "ro,lowerdir=" + lowerdirs, target.toString()).run().ok();
    }

    public static void umount(Path target) {
        Cmd.of("umount", target.toString()).run().ok();
    }
}
