package io.berth.engine.build;

import io.berth.api.errors.BerthException;
import io.berth.engine.service.BuildService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code RUN --mount=type=cache} directories: one per cache id under {@code <data-root>/build/cache}, kept between
 * builds and never part of an image; created with the mount's {@code uid}, {@code gid} and {@code mode}. They are the
 * build cache {@code system df} reports and {@code builder prune} drops.
 */
final class CacheMounts {
    /** The cache directories a RUN holds now (for {@code sharing=locked} and {@code private}). */
    /** The record type {@code system df} and {@code builder prune} show for a cache mount. */
    static final String TYPE = "exec.cachemount";
    private static final Map<Path, java.util.concurrent.Semaphore> IN_USE = new java.util.concurrent.ConcurrentHashMap<>();

    private CacheMounts() {}

    /** A cache directory held for one RUN; {@code release} ends the hold (and drops a private copy). */
    record Held(Path dir, Runnable release) {}

    /**
     * The directory of cache {@code id} for one RUN, as its {@code sharing} says: {@code shared} (the default) by any
     * number of RUNs at once, {@code locked} by one at a time (the others wait), {@code private} by one, the others
     * getting a new empty directory of their own.
     */
    static Held hold(Path buildRoot, String id, Map<String, String> options) {
        Path dir = directory(buildRoot, id, options);
        String sharing = options.getOrDefault("sharing", "shared");
        java.util.concurrent.Semaphore use = IN_USE.computeIfAbsent(dir, d -> new java.util.concurrent.Semaphore(1));
        switch (sharing) {
            case "shared" -> {
                return new Held(dir, () -> {});
            }
            case "locked" -> {
                use.acquireUninterruptibly();
                return new Held(dir, use::release);
            }
            case "private" -> {
                if (use.tryAcquire()) return new Held(dir, use::release);
                try {
                    Path own = Files.createTempDirectory(Builder.scratch(buildRoot), "cache");
                    return new Held(own, () -> Tree.delete(own));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a private cache mount", e);
                }
            }
            default -> throw new BerthException.InvalidArgument("unrecognized sharing " + sharing);
        }
    }

    static Path root(Path buildRoot) { return buildRoot.resolve("cache"); }

    /** The directory of cache {@code id}, created on first use. */
    static Path directory(Path buildRoot, String id, Map<String, String> options) {
        Path dir = root(buildRoot).resolve(key(id));
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                int mode = Integer.parseInt(options.getOrDefault("mode", "0755"), 8);
                Files.setPosixFilePermissions(dir, permissions(mode));
                int uid = Integer.parseInt(options.getOrDefault("uid", "0"));
                int gid = Integer.parseInt(options.getOrDefault("gid", "0"));
                Files.setAttribute(dir, "unix:uid", uid);
                Files.setAttribute(dir, "unix:gid", gid);
                Files.writeString(root(buildRoot).resolve(key(id) + ".id"), id, StandardCharsets.UTF_8);
            }
            Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis()));
            return dir;
        } catch (NumberFormatException e) {
            throw new BerthException.InvalidArgument("invalid cache mount option: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cache mount " + id, e);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) if ((mode & (1 << i)) != 0) out.add(order[i]);
        return out;
    }

    static String key(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cache mounts as {@code system df} lists them. */
    static List<BuildService.BuildCacheRecord> list(Path buildRoot) {
        Path root = root(buildRoot);
        List<BuildService.BuildCacheRecord> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Path idFile = root.resolve(d.getFileName() + ".id");
                String id = Files.exists(idFile) ? Files.readString(idFile) : d.getFileName().toString();
                String time = Files.getLastModifiedTime(d).toInstant().toString();
                out.add(new BuildService.BuildCacheRecord(d.getFileName().toString().substring(0, 25), null,
                        TYPE, "cached mount " + id, false, false, Tree.size(d), time, time, 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the build cache", e);
        }
        return out;
    }

    /** Drops the cache mount whose record ID ({@link #list}) is {@code recordId}, with its ID file. */
    static void remove(Path buildRoot, String recordId) {
        Path root = root(buildRoot);
        if (!Files.isDirectory(root)) return;
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(p -> p.getFileName().toString().startsWith(recordId)).forEach(Tree::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune the build cache", e);
        }
    }
}
