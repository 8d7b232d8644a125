package io.berth.engine.volume;

import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A named volume's {@code VolumeOptions.Subpath} (API 1.45) resolved inside the volume's data directory, as moby's
 * safepath does: the subpath must be lexically local (Go's {@code filepath.IsLocal}), symbolic links on the way are
 * followed but may not lead out of the volume, and the result must exist.
 */
final class VolumeSubpath {
    private static final int MAX_LINKS = 255;

    private VolumeSubpath() {}

    /** Go's {@code filepath.IsLocal}: not empty, not absolute, and no {@code ..} that climbs above the start. */
    static boolean isLocal(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\0') >= 0) return false;
        int depth = 0;
        for (String c : path.split("/")) {
            if (c.equals("..")) {
                if (--depth < 0) return false;
            } else if (!c.isEmpty() && !c.equals(".")) {
                depth++;
            }
        }
        return true;
    }

    /** The host path of {@code subpath} inside {@code base}; moby's errors when it leads out or does not exist. */
    static Path resolve(Path base, String subpath) throws IOException {
        List<String> resolved = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(subpath.split("/")));
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (resolved.isEmpty()) throw escapes();
                resolved.removeLast();
                continue;
            }
            Path host = join(base, resolved).resolve(c);
            if (!Files.isSymbolicLink(host)) {
                resolved.add(c);
                continue;
            }
            if (++links > MAX_LINKS) throw new BerthException.InvalidArgument("too many links in " + subpath);
            String target = Files.readSymbolicLink(host).toString();
            if (target.startsWith("/")) throw escapes();
            List<String> parts = List.of(target.split("/"));
            for (int i = parts.size() - 1; i >= 0; i--) todo.addFirst(parts.get(i));
        }
        Path out = join(base, resolved);
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new BerthException.InvalidArgument("cannot access path " + out + ": no such file or directory");
        }
        return out;
    }

    private static Path join(Path base, List<String> components) {
        Path p = base;
        for (String c : components) p = p.resolve(c);
        return p;
    }

    private static BerthException escapes() {
        return new BerthException.InvalidArgument("path concatenation escapes the base directory");
    }
}
