package io.berth.engine.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.api.Json;
import io.berth.engine.content.AtomicFiles;
import io.berth.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacked layers keyed by ChainID, in overlayfs format, under {@code <data-root>/snapshots}.
 * A layer is unpacked into a temporary directory and published by one atomic rename, so a crash
 * leaves either a whole snapshot or a temporary directory that the next start removes. Like
 * containerd's snapshotter, it mounts nothing: callers get directories to build mounts from.
 */
public final class OverlaySnapshotter {
    private static final Logger LOG = LoggerFactory.getLogger(OverlaySnapshotter.class);
    private static final String INFO = "info.json";

    /** Writes one layer's files into an empty directory; returns the content size in bytes. */
    @FunctionalInterface
    public interface Unpacker {
        long unpack(Path fs) throws IOException;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Info(String chainId, String parent, String diffId, long size, long diskUsage) {}

    private final Path root;
    private final Map<Digest, Snapshot> byChain = new ConcurrentHashMap<>();
    private final Map<Digest, Object> creating = new ConcurrentHashMap<>();

    public OverlaySnapshotter(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.toList()) load(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open snapshots " + root, e);
        }
    }

    private void load(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        Path info = dir.resolve(INFO);
        if (name.startsWith("tmp-") || name.startsWith("rm-") || !Files.exists(info)) {
            LOG.info("removing unfinished snapshot directory {}", dir);
            AtomicFiles.deleteTree(dir);
            return;
        }
        Info i = Json.plain().readValue(info.toFile(), Info.class);
        Snapshot s = new Snapshot(name, Digest.parse(i.chainId()), i.parent() == null ? null : Digest.parse(i.parent()),
                Digest.parse(i.diffId()), i.size(), i.diskUsage(), dir);
        byChain.put(s.chainId(), s);
    }

    public Optional<Snapshot> get(Digest chainId) { return Optional.ofNullable(byChain.get(chainId)); }

    public List<Snapshot> list() { return new ArrayList<>(byChain.values()); }

    /**
     * Returns the snapshot for {@code chainId}, unpacking it with {@code unpacker} first if it
     * does not exist. Concurrent callers for one ChainID unpack once.
     */
    public Snapshot create(Digest chainId, Digest parent, Digest diffId, Unpacker unpacker) throws IOException {
        Snapshot existing = byChain.get(chainId);
        if (existing != null) return existing;
        Object lock = creating.computeIfAbsent(chainId, k -> new Object());
        synchronized (lock) {
            try {
                existing = byChain.get(chainId);
                if (existing != null) return existing;
                return unpackNew(chainId, parent, diffId, unpacker);
            } finally {
                creating.remove(chainId);
            }
        }
    }

    private Snapshot unpackNew(Digest chainId, Digest parent, Digest diffId, Unpacker unpacker) throws IOException {
        Path tmp = root.resolve("tmp-" + UUID.randomUUID());
        Files.createDirectories(tmp.resolve("fs"));
        try {
            long size = unpacker.unpack(tmp.resolve("fs"));
            long disk = diskUsage(tmp);
            String key = keyFor(chainId);
            Info info = new Info(chainId.toString(), parent == null ? null : parent.toString(), diffId.toString(), size, disk);
            AtomicFiles.write(tmp.resolve(INFO), Json.plain().writeValueAsBytes(info));
            Path dir = root.resolve(key);
            AtomicFiles.moveAtomically(tmp, dir);
            Snapshot s = new Snapshot(key, chainId, parent, diffId, size, disk, dir);
            byChain.put(chainId, s);
            return s;
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }

    /**
     * A fresh directory under the snapshot root for a layer unpacked before its ChainID is known
     * (while its blob streams in); removed at the next start if it is never adopted.
     */
    public Path stagingDir() throws IOException {
        Path tmp = root.resolve("tmp-" + UUID.randomUUID());
        Files.createDirectories(tmp.resolve("fs"));
        return tmp;
    }

    /**
     * An {@link Unpacker} that moves {@code dir} — a tree already in overlay format, such as a container's upper
     * directory — into the snapshot instead of unpacking anything; {@code dir} must be on the snapshots' file system
     * (see {@link #canAdopt}).
     */
    public static Unpacker adopting(Path dir) {
        return fs -> {
            Files.delete(fs);
            Files.move(dir, fs, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return contentSize(fs);
        };
    }

    /** Whether {@code dir} can be {@linkplain #adopting adopted}: it is on the same file system as the snapshots. */
    public boolean canAdopt(Path dir) throws IOException {
        return Files.getAttribute(dir, "unix:dev", java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .equals(Files.getAttribute(root, "unix:dev"));
    }

    /** The bytes of regular-file content under {@code dir} (what unpacking a layer reports as its size). */
    static long contentSize(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) total[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private String keyFor(Digest chainId) {
        String shortKey = chainId.shortHex();
        return Files.exists(root.resolve(shortKey)) ? chainId.hex() : shortKey;
    }

    /** Removes a snapshot: renamed away first, so a crash mid-delete never leaves a half snapshot visible. */
    public void remove(Digest chainId) throws IOException {
        Snapshot s = byChain.remove(chainId);
        if (s == null) return;
        Path trash = root.resolve("rm-" + UUID.randomUUID());
        Files.move(s.dir(), trash);
        AtomicFiles.deleteTree(trash);
    }

    /** Bytes allocated on disk under {@code dir} (like {@code du}). */
    static long diskUsage(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                total[0] += blocks(d);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                total[0] += blocks(f);
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private static long blocks(Path p) throws IOException {
        Object ino = Files.getAttribute(p, "unix:nlink", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        long size = (Long) Files.getAttribute(p, "unix:size", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        // The JDK exposes no st_blocks; round the apparent size up to 4 KiB blocks, counting hard-linked files once per link.
        int links = ino instanceof Integer n ? Math.max(1, n) : 1;
        long rounded = (size + 4095) / 4096 * 4096;
        return Files.isSymbolicLink(p) ? 0 : rounded / links;
    }
}
