package io.berth.engine.build.context;

import io.berth.api.errors.BerthException;
import io.berth.engine.archive.EntryPaths;
import io.berth.engine.archive.ScopedPath;
import io.berth.engine.archive.TarEntry;
import io.berth.engine.archive.TarReader;
import io.berth.engine.sys.Sys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes files into a container's root file system mounted at {@code rootfs}, never outside it: every existing
 * symbolic link on the way is followed as moby's {@code FollowSymlinkInScope} does (an absolute target restarts at the
 * root, {@code ..} stops there), an entry's own name is replaced rather than followed (but a link to a directory is
 * merged into, inside the root), and missing directories are created 0755. Ownership is {@code owner}, or the
 * source's own when {@code owner} is null ({@code COPY --from} without {@code --chown}); new parent directories are
 * then 0:0. Files keep their mode (or {@code chmod}'s), mtime and {@code security.capability}.
 */
final class RootfsWriter {
    private static final String CAPABILITY = "security.capability";
    private static final int MY_UID = procOwner("unix:uid");

    private final Sys sys;
    private final Path rootfs;
    private final Ownership owner;
    private final ChmodSpec chmod;
    private final EntryPaths paths;
    private final List<Map.Entry<Path, Instant>> dirTimes = new ArrayList<>();

    RootfsWriter(Sys sys, Path rootfs, Ownership owner, ChmodSpec chmod) {
        this.sys = sys;
        this.rootfs = rootfs.toAbsolutePath().normalize();
        this.owner = owner;
        this.chmod = chmod;
        this.paths = new EntryPaths(sys, "the destination");
    }

    /** Whether the container path exists and is (or links, inside the root, to) a directory. */
    boolean isDirectory(String path) throws IOException {
        Sys.LStat st = paths.lstatOrNull(ScopedPath.host(rootfs, ScopedPath.follow(rootfs, path)));
        return st != null && st.isDir();
    }

    /** The host directory of the container path {@code path}, created (0755) where missing. */
    Path mkdirs(String path) throws IOException {
        List<String> resolved = new ArrayList<>();
        for (String c : ScopedPath.clean(path)) {
            resolved.add(c);
            Path p = ScopedPath.host(rootfs, resolved);
            Sys.LStat st = paths.lstatOrNull(p);
            if (st == null) {
                newDir(p, 0755, null);
            } else if (st.isSymlink()) {
                List<String> target = ScopedPath.follow(rootfs, "/" + String.join("/", resolved));
                Path t = ScopedPath.host(rootfs, target);
                Sys.LStat ts = paths.lstatOrNull(t);
                if (ts == null) mkdirs("/" + String.join("/", target));
                else if (!ts.isDir()) throw notDirectory(path);
                resolved = new ArrayList<>(target);
            } else if (!st.isDir()) {
                throw notDirectory(path);
            }
        }
        return ScopedPath.host(rootfs, resolved);
    }

    /** Copies one file (or link, or device) {@code src} to the container path {@code target}, followed in scope. */
    void copyFile(Path src, String target) throws IOException {
        List<String> comps = ScopedPath.clean(target);
        if (comps.isEmpty()) throw notDirectory(target);
        Path parent = mkdirs("/" + String.join("/", comps.subList(0, comps.size() - 1)));
        Path dest = ScopedPath.host(rootfs, ScopedPath.follow(rootfs, containerPath(parent.resolve(comps.getLast()))));
        entry(src, sys.lstat(src), dest, new HashMap<>());
    }

    /** Writes {@code data} as a regular file of {@code mode} at the container path {@code target}. */
    void writeBytes(byte[] data, int mode, Instant mtime, String target) throws IOException {
        List<String> comps = ScopedPath.clean(target);
        if (comps.isEmpty()) throw notDirectory(target);
        Path parent = mkdirs("/" + String.join("/", comps.subList(0, comps.size() - 1)));
        Path dest = ScopedPath.host(rootfs, ScopedPath.follow(rootfs, containerPath(parent.resolve(comps.getLast()))));
        replace(dest, false);
        try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            out.write(data);
        }
        finish(dest, false, mode, owner == null ? Ownership.ROOT : owner, mtime);
    }

    /** Copies the contents of the directory {@code src} into the container directory {@code target}. */
    void copyTree(Path src, String target, Predicate<String> excluded) throws IOException {
        boolean existed = isDirectory(target);
        Path dest = mkdirs(target);
        Sys.LStat st = sys.lstat(src);
        children(src, "", dest, excluded, new HashMap<>());
        if (!existed) finish(dest, true, st.perm(), ownerOf(st), st.mtime());
        flushDirTimes();
    }

    private void children(Path src, String rel, Path dest, Predicate<String> excluded, Map<String, Path> links)
            throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(src)) {
            for (Path p : ds) names.add(p.getFileName().toString());
        }
        names.sort(null);
        for (String n : names) {
            String childRel = rel.isEmpty() ? n : rel + "/" + n;
            if (excluded.test(childRel)) continue;
            Path s = src.resolve(n);
            Sys.LStat st;
            try {
                st = sys.lstat(s);
            } catch (NoSuchFileException e) {
                continue;
            }
            if (st.isDir()) {
                Path d = childDir(dest, n);
                children(s, childRel, d, excluded, links);
                finish(d, true, st.perm(), ownerOf(st), st.mtime());
            } else {
                entry(s, st, dest.resolve(n), links);
            }
        }
    }

    /** Unpacks a tar (already decompressed) into the container directory {@code target}. */
    void untar(InputStream tar, String target) throws IOException {
        Path dest = mkdirs(target);
        TarReader reader = new TarReader(tar);
        TarEntry e;
        while ((e = reader.next()) != null) {
            List<String> comps = paths.components(e.name(), e.name());
            if (comps.isEmpty()) continue;
            Path parent = dest;
            for (String c : comps.subList(0, comps.size() - 1)) parent = childDir(parent, c);
            Path p = parent.resolve(comps.getLast());
            Ownership who = owner != null ? owner : new Ownership(e.uid(), e.gid());
            switch (e.type()) {
                case DIR -> finish(childDir(parent, comps.getLast()), true, e.mode(), who, e.mtime());
                case FILE -> {
                    replace(p, false);
                    try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        reader.content().transferTo(out);
                    }
                    finish(p, false, e.mode(), who, e.mtime());
                }
                case SYMLINK -> {
                    replace(p, false);
                    Files.createSymbolicLink(p, Path.of(e.linkName()));
                    link(p, who, e.mtime());
                }
                case HARDLINK -> {
                    List<String> to = paths.components(e.linkName(), e.name());
                    Path t = ScopedPath.host(rootfs, ScopedPath.follow(rootfs, containerPath(dest) + "/" + String.join("/", to)));
                    Sys.LStat ts = paths.lstatOrNull(t);
                    if (ts == null || ts.isDir()) {
                        throw EntryPaths.refuse(e.name(), "hard link target \"" + e.linkName() + "\" is not a file");
                    }
                    replace(p, false);
                    Files.createLink(p, t);
                }
                case CHAR, BLOCK, FIFO -> {
                    replace(p, false);
                    int type = e.type() == TarEntry.Type.CHAR ? Sys.S_IFCHR : e.type() == TarEntry.Type.BLOCK ? Sys.S_IFBLK : Sys.S_IFIFO;
                    sys.mknod(p, type, e.mode() & 07777, e.devMajor(), e.devMinor());
                    finish(p, false, e.mode(), who, e.mtime());
                }
            }
        }
        flushDirTimes();
    }

    private void entry(Path src, Sys.LStat st, Path dest, Map<String, Path> links) throws IOException {
        Ownership who = ownerOf(st);
        switch (st.type()) {
            case Sys.S_IFREG -> {
                if (st.nlink() > 1) {
                    Path first = links.putIfAbsent(st.dev() + ":" + st.ino(), dest);
                    if (first != null) {
                        replace(dest, false);
                        Files.createLink(dest, first);
                        return;
                    }
                }
                replace(dest, false);
                try (InputStream in = Files.newInputStream(src, LinkOption.NOFOLLOW_LINKS);
                     OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW,
                             StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    in.transferTo(out);
                }
                finish(dest, false, st.perm(), who, st.mtime());
                copyCapability(src, dest);
            }
            case Sys.S_IFLNK -> {
                replace(dest, false);
                Files.createSymbolicLink(dest, Files.readSymbolicLink(src));
                link(dest, who, st.mtime());
            }
            case Sys.S_IFCHR, Sys.S_IFBLK, Sys.S_IFIFO -> {
                replace(dest, false);
                sys.mknod(dest, st.type(), st.perm(), st.rdevMajor(), st.rdevMinor());
                finish(dest, false, st.perm(), who, st.mtime());
            }
            default -> { } // sockets are not copied
        }
    }

    /** The directory {@code name} below the host directory {@code parent}: kept, followed in scope, or made. */
    private Path childDir(Path parent, String name) throws IOException {
        Path p = parent.resolve(name);
        Sys.LStat st = paths.lstatOrNull(p);
        if (st != null && st.isDir()) return p;
        if (st != null && st.isSymlink()) {
            Path t = ScopedPath.host(rootfs, ScopedPath.follow(rootfs, containerPath(p)));
            Sys.LStat ts = paths.lstatOrNull(t);
            if (ts != null && ts.isDir()) return t;
        }
        if (st != null) paths.removeAll(p);
        newDir(p, 0755, null);
        return p;
    }

    private void newDir(Path p, int mode, Ownership who) throws IOException {
        Files.createDirectory(p);
        sys.chmod(p, mode);
        chown(p, who != null ? who : owner != null ? owner : Ownership.ROOT);
    }

    /** Removes what is at {@code p} unless it is a directory and a directory is wanted. */
    private void replace(Path p, boolean wantDir) throws IOException {
        Sys.LStat st = paths.lstatOrNull(p);
        if (st != null && !(wantDir && st.isDir())) paths.removeAll(p);
    }

    private void finish(Path p, boolean dir, int mode, Ownership who, Instant mtime) throws IOException {
        chown(p, who);
        sys.chmod(p, chmod == null ? mode & 07777 : chmod.apply(mode, dir)); // after chown, which drops setuid
        if (dir) dirTimes.add(Map.entry(p, mtime));
        else sys.lutimes(p, mtime, mtime);
    }

    private void link(Path p, Ownership who, Instant mtime) throws IOException {
        chown(p, who);
        sys.lutimes(p, mtime, mtime);
    }

    private void chown(Path p, Ownership who) throws IOException {
        if (MY_UID != 0) {
            Sys.LStat st = sys.lstat(p);
            if (st.uid() == who.uid() && st.gid() == who.gid()) return; // nothing to change, and no right to
        }
        sys.lchown(p, who.uid(), who.gid());
    }

    private void copyCapability(Path src, Path dest) throws IOException {
        byte[] cap;
        try {
            cap = sys.lgetxattr(src, CAPABILITY);
        } catch (IOException e) {
            return; // the source file system has no xattrs
        }
        if (cap != null) sys.lsetxattr(dest, CAPABILITY, cap);
    }

    private Ownership ownerOf(Sys.LStat st) { return owner != null ? owner : new Ownership(st.uid(), st.gid()); }

    private void flushDirTimes() throws IOException {
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            Path p = dirTimes.get(i).getKey();
            Sys.LStat st = paths.lstatOrNull(p);
            if (st != null && st.isDir()) sys.lutimes(p, dirTimes.get(i).getValue(), dirTimes.get(i).getValue());
        }
        dirTimes.clear();
    }

    private String containerPath(Path host) {
        String rel = rootfs.relativize(host).toString();
        return "/" + rel;
    }

    private static BerthException.InvalidArgument notDirectory(String path) {
        return new BerthException.InvalidArgument("mkdir " + path + ": not a directory");
    }

    private static int procOwner(String attribute) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), attribute);
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
