package io.berth.engine.archive;

import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a file tree into a tar stream as moby's {@code archive.TarWithOptions} does: entries in
 * lexical order, a directory before its children, never following symlinks, numeric ownership,
 * mtimes truncated to seconds, {@code security.capability} kept, hard links (same inode seen
 * twice) as link entries, sockets skipped. With {@link Whiteouts#OVERLAY} an overlayfs upper
 * directory becomes a Docker layer diff: a 0:0 character device becomes a {@code .wh.NAME} file,
 * an opaque directory gets a {@code .wh..wh..opq} entry, and {@code trusted.overlay.*} is dropped.
 */
public final class TreeTar {
    /** How overlayfs whiteouts in the tree are written. */
    public enum Whiteouts { KEEP, OVERLAY }

    private static final String CAPABILITY = "security.capability";

    private final Sys sys;
    private final TarWriter out;
    private final Whiteouts whiteouts;
    private final Map<String, String> links = new HashMap<>();
    private long entries;

    public TreeTar(Sys sys, TarWriter out, Whiteouts whiteouts) {
        this.sys = Objects.requireNonNull(sys);
        this.out = Objects.requireNonNull(out);
        this.whiteouts = Objects.requireNonNull(whiteouts);
    }

    /** How many entries were written so far. */
    public long entries() { return entries; }

    /**
     * Writes {@code source} (and, for a directory, everything below it) named {@code name}: its
     * children are {@code name/child}. An empty {@code name} writes only the children, unprefixed
     * (the contents of a directory, as {@code docker export} and layer diffs are named).
     */
    public void write(Path source, String name) throws IOException {
        Sys.LStat st = sys.lstat(source);
        if (!name.isEmpty()) entry(source, name, st);
        if (st.isDir()) children(source, name);
    }

    private void children(Path dir, String prefix) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) names.add(p.getFileName().toString());
        }
        names.sort(null);
        for (String n : names) {
            Path p = dir.resolve(n);
            String child = prefix.isEmpty() ? n : prefix.endsWith("/") ? prefix + n : prefix + "/" + n;
            Sys.LStat st;
            try {
                st = sys.lstat(p);
            } catch (NoSuchFileException e) {
                continue; // removed while we walked
            }
            entry(p, child, st);
            if (st.isDir()) children(p, child);
        }
    }

    private void entry(Path p, String name, Sys.LStat st) throws IOException {
        Instant mtime = Instant.ofEpochSecond(st.mtimeSec());
        int perm = st.perm();
        TarEntry e;
        switch (st.type()) {
            case Sys.S_IFDIR -> e = TarEntry.dir(name, perm, mtime);
            case Sys.S_IFLNK -> e = TarEntry.symlink(name, Files.readSymbolicLink(p).toString(), mtime);
            case Sys.S_IFREG -> {
                if (st.nlink() > 1) {
                    String key = st.dev() + ":" + st.ino();
                    String first = links.putIfAbsent(key, name);
                    if (first != null) {
                        add(new TarEntry(name, TarEntry.Type.HARDLINK, perm, st.uid(), st.gid(), "", "", 0, mtime, first, 0, 0,
                                Map.of()), null);
                        return;
                    }
                }
                e = TarEntry.file(name, st.size(), perm, mtime);
            }
            case Sys.S_IFCHR -> {
                if (whiteouts == Whiteouts.OVERLAY && st.rdevMajor() == 0 && st.rdevMinor() == 0) {
                    int slash = name.lastIndexOf('/');
                    String wh = name.substring(0, slash + 1) + LayerApplier.WH_PREFIX + name.substring(slash + 1);
                    add(TarEntry.file(wh, 0, 0600, mtime).withOwner(st.uid(), st.gid()), InputStream.nullInputStream());
                    return;
                }
                e = TarEntry.device(name, TarEntry.Type.CHAR, perm, st.rdevMajor(), st.rdevMinor(), mtime);
            }
            case Sys.S_IFBLK -> e = TarEntry.device(name, TarEntry.Type.BLOCK, perm, st.rdevMajor(), st.rdevMinor(), mtime);
            case Sys.S_IFIFO -> e = TarEntry.device(name, TarEntry.Type.FIFO, perm, 0, 0, mtime);
            default -> { return; } // sockets are not archived
        }
        e = e.withOwner(st.uid(), st.gid());
        if (st.type() != Sys.S_IFLNK) {
            byte[] cap = xattr(p, CAPABILITY);
            if (cap != null) e = e.withXattrs(Map.of(CAPABILITY, cap));
        }
        if (e.type() == TarEntry.Type.FILE) {
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                add(e, new ExactLength(in, e.size()));
            }
        } else {
            add(e, null);
        }
        if (whiteouts == Whiteouts.OVERLAY && st.isDir()) {
            byte[] opq = xattr(p, LayerApplier.OPAQUE_XATTR);
            if (opq != null && opq.length == 1 && opq[0] == 'y') {
                String n = name.endsWith("/") ? name : name + "/";
                add(TarEntry.file(n + LayerApplier.WH_OPAQUE, 0, perm, mtime).withOwner(st.uid(), st.gid()),
                        InputStream.nullInputStream());
            }
        }
    }

    private void add(TarEntry e, InputStream content) throws IOException {
        out.add(e, content);
        entries++;
    }

    private byte[] xattr(Path p, String name) {
        try {
            return sys.lgetxattr(p, name);
        } catch (IOException e) {
            return null; // not supported on this file system
        }
    }

    /**
     * Supplies exactly {@code size} bytes: a file that grew while archived is cut, one that shrank
     * is padded with zeros, so the tar stays well-formed (as Go's tar writer requires too).
     */
    private static final class ExactLength extends InputStream {
        private final InputStream in;
        private long left;
        private boolean eof;

        ExactLength(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int want = (int) Math.min(len, left);
            int n = eof ? -1 : in.read(b, off, want);
            if (n < 0) {
                eof = true;
                java.util.Arrays.fill(b, off, off + want, (byte) 0);
                n = want;
            }
            left -= n;
            return n;
        }
    }
}
