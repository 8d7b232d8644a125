package io.berth.engine.container;

import io.berth.engine.archive.EntryPaths;

import io.berth.engine.archive.TarEntry;
import io.berth.engine.archive.TarReader;
import io.berth.api.errors.BerthException;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Extracts a tar (from {@code docker cp}) into a directory of a container, as moby's
 * {@code archive.Untar} with {@code NoOverwriteDirNonDir} and {@code ChownOpts}. Nothing is written
 * outside the directory: names that climb above it are refused, every parent must be a real
 * directory (a symlink on the way is refused, never followed), files are opened with O_NOFOLLOW,
 * and hard link targets must be inside it.
 */
final class ContainerExtractor {
    /** {@code owner} replaces the tar's uid/gid when not null ({@code copyUIDGID}). */
    record Options(boolean noOverwriteDirNonDir, int[] owner) {}

    private final Sys sys;
    private final EntryPaths paths;

    ContainerExtractor(Sys sys) {
        this.sys = sys;
        this.paths = new EntryPaths(sys, "the extraction directory");
    }

    void extract(InputStream tar, Path dir, Options o) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        Map<Path, Instant> dirTimes = new LinkedHashMap<>();
        byte[] buf = new byte[64 * 1024];
        TarReader reader = new TarReader(tar);
        TarEntry e;
        while ((e = reader.next()) != null) {
            List<String> comps = paths.components(e.name(), e.name());
            if (comps.isEmpty()) continue; // "./": the directory itself is left as it is
            Path parent = paths.ensureParents(root, comps.subList(0, comps.size() - 1), e.name());
            Path path = parent.resolve(comps.getLast());
            Path linkTarget = e.type() == TarEntry.Type.HARDLINK ? paths.hardlinkTarget(root, e) : null;
            if (linkTarget != null && linkTarget.equals(path)) continue;
            Sys.LStat existing = paths.lstatOrNull(path);
            if (existing != null) {
                boolean wantDir = e.type() == TarEntry.Type.DIR;
                if (o.noOverwriteDirNonDir() && existing.isDir() && !wantDir) {
                    throw new BerthException.InvalidArgument("cannot overwrite directory \"" + path(comps) + "\" with non-directory \"" + path(comps) + "\"");
                }
                if (o.noOverwriteDirNonDir() && !existing.isDir() && wantDir) {
                    throw new BerthException.InvalidArgument("cannot overwrite non-directory \"" + path(comps) + "\" with directory \"" + path(comps) + "\"");
                }
                if (!(existing.isDir() && wantDir)) paths.removeAll(path);
            }
            switch (e.type()) {
                case DIR -> { if (existing == null || !existing.isDir()) Files.createDirectory(path); }
                case FILE -> {
                    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS)) {
                        InputStream in = reader.content();
                        int r;
                        while ((r = in.read(buf)) > 0) out.write(buf, 0, r);
                    }
                }
                case SYMLINK -> Files.createSymbolicLink(path, Path.of(e.linkName()));
                case HARDLINK -> Files.createLink(path, linkTarget);
                case CHAR -> sys.mknod(path, Sys.S_IFCHR, e.mode() & 07777, e.devMajor(), e.devMinor());
                case BLOCK -> sys.mknod(path, Sys.S_IFBLK, e.mode() & 07777, e.devMajor(), e.devMinor());
                case FIFO -> sys.mknod(path, Sys.S_IFIFO, e.mode() & 07777, 0, 0);
            }
            if (e.type() == TarEntry.Type.HARDLINK) continue;
            int uid = o.owner() == null ? e.uid() : o.owner()[0];
            int gid = o.owner() == null ? e.gid() : o.owner()[1];
            sys.lchown(path, uid, gid);
            if (e.type() != TarEntry.Type.SYMLINK) sys.chmod(path, e.mode() & 07777);
            for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                if (x.getKey().startsWith("trusted.overlay.")) continue;
                try {
                    sys.lsetxattr(path, x.getKey(), x.getValue());
                } catch (IOException ignored) {
                    // as moby: xattrs the file system refuses are dropped
                }
            }
            if (e.type() == TarEntry.Type.DIR) {
                dirTimes.remove(path);
                dirTimes.put(path, e.mtime());
            } else {
                sys.lutimes(path, e.mtime(), e.mtime());
            }
        }
        List<Map.Entry<Path, Instant>> dirs = new ArrayList<>(dirTimes.entrySet());
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Sys.LStat st = paths.lstatOrNull(dirs.get(i).getKey());
            if (st != null && st.isDir()) sys.lutimes(dirs.get(i).getKey(), dirs.get(i).getValue(), dirs.get(i).getValue());
        }
    }

    private static String path(List<String> comps) { return "/" + String.join("/", comps); }

    private static BerthException.InvalidArgument refuse(String name, String why) { return EntryPaths.refuse(name, why); }

}
