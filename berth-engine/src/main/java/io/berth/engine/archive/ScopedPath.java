package io.berth.engine.archive;

import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Resolves a path inside a container's root file system to a host path, evaluating every symlink
 * against the container's root as moby's {@code symlink.FollowSymlinkInScope} does: an absolute
 * link target restarts at the root, {@code ..} never climbs above it, so the result always lies
 * inside the root. Components that do not exist are kept as they are. A root may place some paths
 * elsewhere on the host (a container's volumes and bind mounts): {@link #follow(Function, String)}
 * takes where each resolved path lies.
 */
public final class ScopedPath {
    private static final int MAX_LINKS = 255;

    private ScopedPath() {}

    /** The components of {@code path} made absolute and cleaned ({@code ..} stops at the root). */
    public static List<String> clean(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (!out.isEmpty()) out.removeLast();
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** The container path {@code path} (absolute or not), cleaned, as a string starting with "/". */
    public static String absolute(String path) { return "/" + String.join("/", clean(path)); }

    /**
     * Follows {@code path} inside {@code root}, the final component included; returns the
     * resolved path relative to the root, as components.
     */
    public static List<String> follow(Path root, String path) throws IOException {
        return follow(components -> host(root, components), path);
    }

    /**
     * Follows {@code path} in a root whose resolved components lie on the host where
     * {@code hostOf} says; returns the resolved path as components.
     */
    public static List<String> follow(Function<List<String>, Path> hostOf, String path) throws IOException {
        if (path.indexOf('\0') >= 0) throw new BerthException.InvalidArgument("invalid path: NUL character");
        List<String> resolved = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(clean(path));
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.equals("..")) {
                if (!resolved.isEmpty()) resolved.removeLast();
                continue;
            }
            if (c.isEmpty() || c.equals(".")) continue;
            resolved.add(c);
            Path host = hostOf.apply(resolved);
            if (!Files.isSymbolicLink(host)) continue;
            resolved.removeLast();
            if (++links > MAX_LINKS) throw new BerthException.InvalidArgument("too many links in " + path);
            String target = Files.readSymbolicLink(host).toString();
            if (target.startsWith("/")) resolved.clear();
            String[] parts = target.split("/");
            for (int i = parts.length - 1; i >= 0; i--) {
                if (!parts[i].isEmpty() && !parts[i].equals(".")) todo.addFirst(parts[i]);
            }
        }
        return resolved;
    }

    /** {@code root} joined with components (none of which is "..", "." or empty). */
    public static Path host(Path root, List<String> components) {
        Path p = root;
        for (String c : components) p = p.resolve(c);
        return p;
    }

    /** True when {@code p} exists, without following a final symlink. */
    static boolean exists(Path p) { return Files.exists(p, LinkOption.NOFOLLOW_LINKS); }
}
