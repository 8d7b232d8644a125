package io.berth.engine.build.context;

import io.berth.engine.sys.Sys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The classic builder's cache keys of COPY/ADD sources ({@code builder/remotecontext/filehash.go}, tarsum v1): an
 * entry's hash is the SHA-256 of its header fields — name (relative to the source root), mode (type and permission
 * bits), uid, gid, size, type flag, link target, empty user and group names, device numbers,
 * {@code security.capability} — each written as key then value, followed by the content of a regular file; a
 * directory's name ends in {@code /}, as in a context tar. The mtime is left out, so touching a file keeps the cache.
 * A file is {@code file:<hex>}, a directory {@code dir:<sha256 of its own (not the root's) and every descendant's hex,
 * sorted, joined by ",">}, several sources
 * {@code multi:<sha256 of their keys joined by ",">}. Entries are hashed once per instance (one per source root and
 * build, safe to share between stages built in parallel): the context does not change while a build runs. The
 * regular files of an unpacked context were hashed as they were unpacked ({@link ExtractedHashes}): only their
 * metadata is read again.
 */
public final class SourceHash {
    private static final String CAPABILITY = "security.capability";

    private final Sys sys;
    private final Path root;
    private final ExtractedHashes extracted;
    private final HeldBodies held;
    private final Map<String, String> sums = new ConcurrentHashMap<>();

    public SourceHash(Sys sys, Path root) {
        this(sys, root, new ExtractedHashes(), new HeldBodies(sys, null));
    }

    /**
     * Over an unpacked context whose files' hashes {@code extracted} recorded as they were written, some of whose
     * bodies are still {@code held} in memory (written before such a file is read).
     */
    SourceHash(Sys sys, Path root, ExtractedHashes extracted, HeldBodies held) {
        this.sys = sys;
        this.root = root;
        this.extracted = extracted;
        this.held = held;
    }

    /** {@code file:<hex>} of the entry at {@code rel} (a path below the root, not followed if it is a link). */
    public String file(String rel) throws IOException {
        return "file:" + entry(rel);
    }

    /**
     * {@code dir:<hex>} over the directory at {@code rel} and everything below it, leaving out what {@code excluded}
     * (given paths relative to {@code rel}) names.
     */
    public String dir(String rel, Predicate<String> excluded) throws IOException {
        List<String> hashes = new ArrayList<>();
        if (!rel.isEmpty() && !rel.equals(".")) hashes.add(entry(rel)); // moby's walkSource skips the root itself
        walk(rel, "", excluded, hashes);
        hashes.sort(null);
        return join("dir", hashes);
    }

    private void walk(String rel, String below, Predicate<String> excluded, List<String> out) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve(rel).resolve(below))) {
            for (Path p : ds) names.add(p.getFileName().toString());
        }
        for (String n : names) {
            String child = below.isEmpty() ? n : below + "/" + n;
            if (excluded.test(child)) continue;
            String full = rel.isEmpty() || rel.equals(".") ? child : rel + "/" + child;
            out.add(entry(full));
            if (Files.isDirectory(root.resolve(full), LinkOption.NOFOLLOW_LINKS)) walk(rel, child, excluded, out);
        }
    }

    /** {@code multi:<hex>} of several sources' keys, in the order given. */
    public static String multi(List<String> keys) {
        return join("multi", keys);
    }

    /** {@code file:<hex>} of content that is not on disk (a here-document): a regular file of the given name and mode. */
    public static String bytes(String name, int mode, byte[] content) {
        MessageDigest md = regularFile(name, Sys.S_IFREG | mode, 0, 0, content.length);
        md.update(content);
        return "file:" + HexFormat.of().formatHex(md.digest());
    }

    /**
     * A digest holding the header of a regular file without capabilities ({@code mode} with its type bits): the
     * file's entry hash is this digest over its content, in hex.
     */
    static MessageDigest regularFile(String name, int mode, int uid, int gid, long size) {
        MessageDigest md = sha256();
        header(md, name, mode, uid, gid, size, '0', "", 0, 0, null);
        return md;
    }

    /** The hex hash of one entry. */
    String entry(String rel) throws IOException {
        String name = rel.isEmpty() ? "." : rel;
        String known = sums.get(name);
        if (known != null) return known;
        Path p = root.resolve(rel);
        Sys.LStat st = sys.lstat(p);
        String written = extracted.match(name, st);
        if (written != null) {
            sums.put(name, written);
            return written;
        }
        MessageDigest md = sha256();
        char flag = switch (st.type()) {
            case Sys.S_IFDIR -> '5';
            case Sys.S_IFLNK -> '2';
            case Sys.S_IFCHR -> '3';
            case Sys.S_IFBLK -> '4';
            case Sys.S_IFIFO -> '6';
            default -> '0';
        };
        String link = st.isSymlink() ? Files.readSymbolicLink(p).toString() : "";
        byte[] cap = st.isSymlink() ? null : capability(p);
        // a directory's tar name ends in "/" (the docker CLI's and docker-py's context tars, moby's FileInfoHeader)
        header(md, flag == '5' ? name + "/" : name, st.mode(), st.uid(), st.gid(), st.isRegular() ? st.size() : 0, flag, link,
                st.rdevMajor(), st.rdevMinor(), cap);
        if (st.isRegular() && st.size() > 0) {
            held.write(name);
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buf = new byte[64 * 1024];
                int r;
                while ((r = in.read(buf)) > 0) md.update(buf, 0, r);
            }
        }
        String hex = HexFormat.of().formatHex(md.digest());
        sums.put(name, hex);
        return hex;
    }

    private static void header(MessageDigest md, String name, int mode, int uid, int gid, long size, char flag,
                               String link, int devMajor, int devMinor, byte[] capability) {
        field(md, "name", name);
        field(md, "mode", Integer.toString(mode));
        field(md, "uid", Integer.toUnsignedString(uid));
        field(md, "gid", Integer.toUnsignedString(gid));
        field(md, "size", Long.toString(size));
        field(md, "typeflag", String.valueOf(flag));
        field(md, "linkname", link);
        field(md, "uname", "");
        field(md, "gname", "");
        field(md, "devmajor", Integer.toString(devMajor));
        field(md, "devminor", Integer.toString(devMinor));
        if (capability != null) {
            md.update(CAPABILITY.getBytes(StandardCharsets.UTF_8));
            md.update(capability);
        }
    }

    private static void field(MessageDigest md, String key, String value) {
        md.update((key + value).getBytes(StandardCharsets.UTF_8));
    }

    private byte[] capability(Path p) {
        try {
            return sys.lgetxattr(p, CAPABILITY);
        } catch (IOException e) {
            return null; // the file system has no xattrs
        }
    }

    private static String join(String prefix, List<String> parts) {
        MessageDigest md = sha256();
        md.update(String.join(",", parts).getBytes(StandardCharsets.UTF_8));
        return prefix + ":" + HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
