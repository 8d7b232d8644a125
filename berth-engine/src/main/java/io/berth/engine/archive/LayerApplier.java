package io.berth.engine.archive;

import io.berth.api.errors.BerthException;
import io.berth.engine.sys.Sys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Unpacks one image layer diff (an uncompressed tar) into a directory that becomes an overlayfs
 * lower layer, converting Docker/OCI whiteouts to overlayfs form: {@code .wh.NAME} becomes a 0:0
 * character device {@code NAME}, {@code .wh..wh..opq} becomes {@code trusted.overlay.opaque=y} on
 * its directory, other {@code .wh..wh.*} (aufs metadata) are skipped.
 *
 * <p>Nothing is written outside the target directory: names are normalized (a leading {@code /}
 * is relative to the layer root), {@code ..} that climbs above the root is refused, every parent
 * component is checked with lstat and must be a real directory (never a symlink), files are
 * created with O_NOFOLLOW|O_EXCL, and hard link targets must lie inside the layer and already
 * exist. A refused entry raises {@link BerthException.InvalidArgument}; the caller removes the
 * half-written directory.
 */
public final class LayerApplier {
    public static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    static final String WH_PREFIX = ".wh.";
    static final String WH_META_PREFIX = ".wh..wh.";
    static final String WH_OPAQUE = ".wh..wh..opq";

    /** What an apply did: {@code size} is the total bytes of regular-file content written. */
    public record ApplyResult(long size) {}

    private final Sys sys;
    private final EntryPaths paths;

    public LayerApplier(Sys sys) {
        this.sys = Objects.requireNonNull(sys, "sys");
        this.paths = new EntryPaths(sys, "the layer root");
    }

    public ApplyResult apply(InputStream uncompressedTar, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        Sys.LStat rootStat = paths.lstatOrNull(root);
        if (rootStat == null || !rootStat.isDir()) throw new NoSuchFileException(root + ": not a directory");
        Map<Path, Instant> dirTimes = new LinkedHashMap<>();
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        TarReader reader = new TarReader(uncompressedTar);
        TarEntry e;
        while ((e = reader.next()) != null) {
            List<String> comps = paths.components(e.name(), e.name());
            if (comps.isEmpty()) { // the layer root itself
                if (e.type() != TarEntry.Type.DIR) throw refuse(e, "cannot replace the layer root");
                applyMetadata(root, e);
                dirTimes.put(root, e.mtime());
                continue;
            }
            String base = comps.getLast();
            List<String> parentComps = comps.subList(0, comps.size() - 1);

            if (base.startsWith(WH_PREFIX)) {
                if (base.equals(WH_OPAQUE)) {
                    Path parent = paths.ensureParents(root, parentComps, e.name());
                    sys.lsetxattr(parent, OPAQUE_XATTR, new byte[] {'y'});
                } else if (!base.startsWith(WH_META_PREFIX)) {
                    String hidden = base.substring(WH_PREFIX.length());
                    if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                        throw refuse(e, "invalid whiteout name");
                    }
                    Path parent = paths.ensureParents(root, parentComps, e.name());
                    Path target = parent.resolve(hidden);
                    paths.removeAll(target);
                    sys.mknod(target, Sys.S_IFCHR, 0, 0, 0);
                    sys.lchown(target, e.uid(), e.gid());
                }
                continue; // aufs metadata (.wh..wh.plnk, .wh..wh.aufs) is skipped
            }

            Path parent = paths.ensureParents(root, parentComps, e.name());
            Path path = parent.resolve(base);
            Path linkTarget = null;
            if (e.type() == TarEntry.Type.HARDLINK) {
                linkTarget = paths.hardlinkTarget(root, e);
                if (linkTarget.equals(path)) continue; // a link to itself: nothing to do
            }
            Sys.LStat existing = paths.lstatOrNull(path);
            if (existing != null && !(existing.isDir() && e.type() == TarEntry.Type.DIR)) {
                paths.removeAll(path);
            }
            switch (e.type()) {
                case DIR -> {
                    if (existing == null || !existing.isDir()) Files.createDirectory(path);
                }
                case FILE -> {
                    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        InputStream in = reader.content();
                        int r;
                        while ((r = in.read(buf)) > 0) {
                            out.write(buf, 0, r);
                            total += r;
                        }
                    }
                }
                case SYMLINK -> Files.createSymbolicLink(path, Path.of(e.linkName()));
                case HARDLINK -> Files.createLink(path, linkTarget);
                case CHAR -> sys.mknod(path, Sys.S_IFCHR, e.mode(), e.devMajor(), e.devMinor());
                case BLOCK -> sys.mknod(path, Sys.S_IFBLK, e.mode(), e.devMajor(), e.devMinor());
                case FIFO -> sys.mknod(path, Sys.S_IFIFO, e.mode(), 0, 0);
            }
            if (e.type() == TarEntry.Type.HARDLINK) continue; // shares the target's inode and metadata
            applyMetadata(path, e);
            if (e.type() == TarEntry.Type.DIR) {
                dirTimes.remove(path);
                dirTimes.put(path, e.mtime());
            } else {
                sys.lutimes(path, e.mtime(), e.mtime());
            }
        }
        // Directory times last, or creating their children would clobber them. A later entry may
        // have replaced a directory (or one of its parents) with something else: re-check.
        List<Map.Entry<Path, Instant>> dirs = new ArrayList<>(dirTimes.entrySet());
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Path p = dirs.get(i).getKey();
            if (!p.equals(root) && !parentsAreRealDirs(root, p)) continue;
            Sys.LStat st = paths.lstatOrNull(p);
            if (st != null && st.isDir()) sys.lutimes(p, dirs.get(i).getValue(), dirs.get(i).getValue());
        }
        return new ApplyResult(total);
    }

    private void applyMetadata(Path path, TarEntry e) throws IOException {
        sys.lchown(path, e.uid(), e.gid()); // before chmod: chown clears setuid/setgid
        if (e.type() != TarEntry.Type.SYMLINK) sys.chmod(path, e.mode() & 07777);
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            sys.lsetxattr(path, x.getKey(), x.getValue()); // after chown: it drops security.capability
        }
    }

    private boolean parentsAreRealDirs(Path root, Path p) throws IOException {
        Path rel = root.relativize(p);
        Path cur = root;
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            cur = cur.resolve(rel.getName(i));
            Sys.LStat st = paths.lstatOrNull(cur);
            if (st == null || !st.isDir()) return false;
        }
        return true;
    }

    private static BerthException.InvalidArgument refuse(TarEntry e, String why) {
        return refuse(e.name(), why);
    }

    private static BerthException.InvalidArgument refuse(String name, String why) { return EntryPaths.refuse(name, why); }

}
