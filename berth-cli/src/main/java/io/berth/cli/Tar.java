package io.berth.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** A small tar writer/reader for {@code cp}: regular files, directories and symlinks; PAX for long names. */
final class Tar {
    private Tar() {}

    // ---- writing ----

    /** Writes {@code src} (a file, symlink or directory tree) with its top entry named {@code name}. */
    static void write(Path src, String name, OutputStream out) throws IOException {
        writeTree(src, name, out);
        out.write(new byte[1024]);
        out.flush();
    }

    private static void writeTree(Path p, String name, OutputStream out) throws IOException {
        if (Files.isSymbolicLink(p)) {
            header(out, name, '2', 0, mode(p), Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000,
                    Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p)) {
            header(out, name + "/", '5', 0, mode(p), Files.getLastModifiedTime(p).toMillis() / 1000, "");
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.sorted().toList()) writeTree(c, name + "/" + c.getFileName(), out);
            }
        } else {
            long size = Files.size(p);
            header(out, name, '0', size, mode(p), Files.getLastModifiedTime(p).toMillis() / 1000, "");
            try (InputStream in = Files.newInputStream(p)) {
                in.transferTo(out);
            }
            int pad = (int) ((512 - size % 512) % 512);
            out.write(new byte[pad]);
        }
    }

    static int mode(Path p) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            int m = 0;
            for (PosixFilePermission x : perms) m |= 1 << (8 - x.ordinal());
            return m;
        } catch (IOException | UnsupportedOperationException e) {
            return 0644;
        }
    }

    static void header(OutputStream out, String name, char type, long size, int mode, long mtime, String link) throws IOException {
        byte[] nb = name.getBytes(StandardCharsets.UTF_8), lb = link.getBytes(StandardCharsets.UTF_8);
        if (nb.length > 100 || lb.length > 100) {
            StringBuilder pax = new StringBuilder();
            if (nb.length > 100) pax.append(paxRecord("path", name));
            if (lb.length > 100) pax.append(paxRecord("linkpath", link));
            byte[] data = pax.toString().getBytes(StandardCharsets.UTF_8);
            out.write(block("PaxHeaders/" + truncate(name, 80), 'x', data.length, 0644, mtime, ""));
            out.write(data);
            out.write(new byte[(512 - data.length % 512) % 512]);
        }
        out.write(block(truncate(name, 100), type, size, mode, mtime, truncate(link, 100)));
    }

    private static String paxRecord(String k, String v) {
        String rec = " " + k + "=" + v + "\n";
        int len = rec.getBytes(StandardCharsets.UTF_8).length;
        int total = len + Integer.toString(len).length();
        if (Integer.toString(total).length() != Integer.toString(len).length()) total++;
        return total + rec;
    }

    private static String truncate(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= max ? s : new String(b, 0, max, StandardCharsets.UTF_8);
    }

    private static byte[] block(String name, char type, long size, int mode, long mtime, String link) {
        byte[] h = new byte[512];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) h[i] = ' ';
        h[156] = (byte) type;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int off, int len, byte[] v) { System.arraycopy(v, 0, h, off, Math.min(len, v.length)); }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        while (s.length() < len - 1) s = "0" + s;
        put(h, off, len - 1, s.getBytes(StandardCharsets.US_ASCII));
    }

    // ---- reading ----

    /**
     * Extracts a tar stream under {@code root}; {@code rename} maps each entry name (e.g. renames
     * the top entry); entries escaping {@code root} are refused.
     */
    static void extract(InputStream in, Path root, UnaryOperator<String> rename) throws IOException {
        String longName = null, longLink = null;
        Set<Path> dirs = new HashSet<>();
        while (true) {
            byte[] h = in.readNBytes(512);
            if (h.length < 512) {
                if (h.length == 0) return;
                throw new EOFException("unexpected EOF in tar header");
            }
            if (isZero(h)) return;
            String name = str(h, 0, 100);
            String prefix = str(h, 345, 155);
            if (!prefix.isEmpty() && str(h, 257, 6).startsWith("ustar")) name = prefix + "/" + name;
            char type = (char) h[156];
            long size = parseOctal(h, 124, 12);
            int mode = (int) parseOctal(h, 100, 8);
            long mtime = parseOctal(h, 136, 12);
            String link = str(h, 157, 100);
            if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
                byte[] data = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                if (type == 'L') longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                else if (type == 'K') longLink = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                else if (type == 'x') {
                    String text = new String(data, StandardCharsets.UTF_8);
                    int i = 0;
                    while (i < text.length()) {
                        int sp = text.indexOf(' ', i);
                        if (sp < 0) break;
                        int len = Integer.parseInt(text.substring(i, sp));
                        String rec = new String(data, byteOffset(text, i) + (sp - i) + 1, len - (sp - i) - 2, StandardCharsets.UTF_8);
                        int eq = rec.indexOf('=');
                        if (rec.startsWith("path=")) longName = rec.substring(eq + 1);
                        else if (rec.startsWith("linkpath=")) longLink = rec.substring(eq + 1);
                        i = text.indexOf('\n', sp) + 1;
                        if (i <= 0) break;
                    }
                }
                continue;
            }
            if (longName != null) name = longName;
            if (longLink != null) link = longLink;
            longName = longLink = null;
            String mapped = rename.apply(name);
            Path target = root.resolve(mapped).normalize();
            if (!target.startsWith(root.normalize())) throw new IOException("invalid tar entry: " + name);
            switch (type) {
                case '5' -> {
                    Files.createDirectories(target);
                    dirs.add(target);
                    skip(in, size);
                }
                case '2' -> {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(link));
                    skip(in, size);
                }
                case '1' -> {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createLink(target, root.resolve(rename.apply(link)).normalize());
                    skip(in, size);
                }
                case '0', '\0', '7' -> {
                    Files.createDirectories(target.getParent());
                    Path tmp = Files.createTempFile(target.getParent(), ".cp-", "");
                    try (OutputStream o = Files.newOutputStream(tmp)) {
                        copyN(in, o, size);
                    }
                    in.readNBytes((int) ((512 - size % 512) % 512));
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    setMode(target, mode);
                    Files.setLastModifiedTime(target, FileTime.fromMillis(mtime * 1000));
                }
                default -> skip(in, size); // devices, fifos: not created by cp
            }
        }
    }

    private static int byteOffset(String text, int charIndex) { return text.substring(0, charIndex).getBytes(StandardCharsets.UTF_8).length; }

    private static void setMode(Path p, int mode) {
        try {
            Set<PosixFilePermission> perms = new HashSet<>();
            PosixFilePermission[] all = PosixFilePermission.values();
            for (int i = 0; i < 9; i++) if ((mode & (1 << (8 - i))) != 0) perms.add(all[i]);
            Files.setPosixFilePermissions(p, perms);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort, as docker's cp without -a
        }
    }

    private static void skip(InputStream in, long size) throws IOException {
        long total = size + (512 - size % 512) % 512;
        in.readNBytes((int) total);
    }

    private static void copyN(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) throw new EOFException("unexpected EOF in tar entry");
            out.write(buf, 0, r);
            n -= r;
        }
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) if (b != 0) return false;
        return true;
    }

    private static String str(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long parseOctal(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) { // base-256
            long v = h[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) v = (v << 8) | (h[i] & 0xff);
            return v;
        }
        String s = str(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    /** For tests: the tar bytes of {@code src}. */
    static byte[] bytes(Path src, String name) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        write(src, name, b);
        return b.toByteArray();
    }
}
