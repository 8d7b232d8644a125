package io.berth.engine.archive;

import io.berth.engine.sys.Sys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an overlayfs upper directory back into a Docker layer diff: 0:0 character devices become
 * {@code .wh.NAME}, {@code trusted.overlay.opaque=y} becomes {@code DIR/.wh..wh..opq}, files
 * with several links inside the tree become tar hard links to the first name written. Entries
 * are written in lexical order, parents first; mtimes are truncated to seconds as Docker does;
 * {@code trusted.overlay.*} attributes are dropped, all other xattrs are kept.
 */
public final class LayerDiff {
    private LayerDiff() {}

    private record Inode(long dev, long ino) {}

    public static void write(Path upper, TarWriter out, Sys sys) throws IOException {
        walk(upper, upper, out, sys, new HashMap<>());
    }

    private static void walk(Path root, Path dir, TarWriter out, Sys sys, Map<Inode, String> links) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) children.add(p);
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path p : children) {
            String name = root.relativize(p).toString();
            Sys.LStat st = sys.lstat(p);
            Instant mtime = Instant.ofEpochSecond(st.mtimeSec());
            Map<String, byte[]> xattrs = xattrs(p, sys);
            switch (st.type()) {
                case Sys.S_IFCHR -> {
                    if (st.rdevMajor() == 0 && st.rdevMinor() == 0) {
                        String parent = p.getParent().equals(root) ? "" : root.relativize(p.getParent()) + "/";
                        out.add(new TarEntry(parent + LayerApplier.WH_PREFIX + p.getFileName(), TarEntry.Type.FILE,
                                0600, st.uid(), st.gid(), "", "", 0, mtime, "", 0, 0, null), null);
                    } else {
                        out.add(entry(name, TarEntry.Type.CHAR, st, mtime, "", xattrs), null);
                    }
                }
                case Sys.S_IFBLK -> out.add(entry(name, TarEntry.Type.BLOCK, st, mtime, "", xattrs), null);
                case Sys.S_IFIFO -> out.add(entry(name, TarEntry.Type.FIFO, st, mtime, "", xattrs), null);
                case Sys.S_IFLNK -> out.add(entry(name, TarEntry.Type.SYMLINK, st, mtime,
                        Files.readSymbolicLink(p).toString(), xattrs), null);
                case Sys.S_IFREG -> {
                    Inode key = new Inode(st.dev(), st.ino());
                    String first = st.nlink() > 1 ? links.get(key) : null;
                    if (first != null) {
                        out.add(entry(name, TarEntry.Type.HARDLINK, st, mtime, first, Map.of()), null);
                    } else {
                        if (st.nlink() > 1) links.put(key, name);
                        TarEntry e = new TarEntry(name, TarEntry.Type.FILE, st.perm(), st.uid(), st.gid(), "", "",
                                st.size(), mtime, "", 0, 0, xattrs);
                        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                            out.add(e, in);
                        }
                    }
                }
                case Sys.S_IFDIR -> {
                    out.add(entry(name, TarEntry.Type.DIR, st, mtime, "", xattrs), null);
                    byte[] opaque = sys.lgetxattr(p, LayerApplier.OPAQUE_XATTR);
                    if (opaque != null && Arrays.equals(opaque, new byte[] {'y'})) {
                        out.add(new TarEntry(name + "/" + LayerApplier.WH_OPAQUE, TarEntry.Type.FILE,
                                st.perm() & 0777, st.uid(), st.gid(), "", "", 0, mtime, "", 0, 0, null), null);
                    }
                    walk(root, p, out, sys, links);
                }
                default -> { } // sockets are not layer content
            }
        }
    }

    private static TarEntry entry(String name, TarEntry.Type type, Sys.LStat st, Instant mtime, String link,
                                  Map<String, byte[]> xattrs) {
        return new TarEntry(name, type, type == TarEntry.Type.SYMLINK ? 0777 : st.perm(), st.uid(), st.gid(), "", "",
                0, mtime, link, st.rdevMajor(), st.rdevMinor(), xattrs);
    }

    private static Map<String, byte[]> xattrs(Path p, Sys sys) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String n : sys.llistxattr(p)) {
            if (n.startsWith("trusted.overlay.")) continue;
            byte[] v = sys.lgetxattr(p, n);
            if (v != null) out.put(n, v);
        }
        return out;
    }
}
