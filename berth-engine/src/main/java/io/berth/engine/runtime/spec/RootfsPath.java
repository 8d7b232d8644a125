package io.berth.engine.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path inside a container rootfs the way the container would see it: symlinks are
 * followed component by component and interpreted relative to the rootfs, and {@code ..} never
 * climbs above it, so a hostile image cannot point {@code /etc/passwd} at the host's files.
 */
final class RootfsPath {
    private static final int MAX_LINKS = 255;

    private RootfsPath() {}

    /** The host path of {@code inside} (absolute in the container) under {@code rootfs}. */
    static Path resolve(Path rootfs, String inside) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, inside);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                done.pollLast();
                continue;
            }
            Path candidate = join(rootfs, done).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) throw new IOException("too many levels of symbolic links: " + inside);
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) done.clear();
                push(todo, target);
                continue;
            }
            done.addLast(part);
        }
        Path out = join(rootfs, done);
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && Files.isSymbolicLink(out)) {
            throw new IOException("unexpected symlink " + out);
        }
        return out;
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) todo.addFirst(parts[i]);
    }

    private static Path join(Path rootfs, Deque<String> parts) {
        Path p = rootfs;
        for (String s : parts) p = p.resolve(s);
        return p;
    }
}
