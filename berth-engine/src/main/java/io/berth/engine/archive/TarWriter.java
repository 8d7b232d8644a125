package io.berth.engine.archive;

import io.berth.api.errors.BerthException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a tar stream in ustar format, adding a PAX extended header for whatever ustar cannot
 * hold: long or non-ASCII names and link targets, long user/group names, numbers that do not fit
 * their octal fields, sub-second mtimes, and extended attributes ({@code SCHILY.xattr.*}, values
 * written as exact bytes). The entry is written faithfully; callers that want second-granular
 * mtimes (as Docker writes layers) truncate them before. Not thread-safe.
 */
public final class TarWriter implements Closeable {
    private static final int BLOCK = TarReader.BLOCK;
    private static final byte[] ZERO = new byte[BLOCK];

    private final OutputStream out;
    private boolean finished;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Adds one entry; {@code content} must supply exactly {@code e.size()} bytes for files and is ignored (may be null) otherwise. */
    public void add(TarEntry e, InputStream content) throws IOException {
        if (finished) throw new IllegalStateException("tar already finished");
        Map<String, byte[]> pax = new LinkedHashMap<>();
        byte[] h = new byte[BLOCK];

        String name = e.name();
        if (e.type() == TarEntry.Type.DIR && !name.endsWith("/")) name = name + "/";
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean nameSet = false;
        if (isAscii(name)) {
            if (nameBytes.length <= 100) {
                put(h, 0, 100, nameBytes);
                nameSet = true;
            } else {
                int split = splitPoint(nameBytes);
                if (split > 0) {
                    put(h, 345, 155, java.util.Arrays.copyOfRange(nameBytes, 0, split));
                    put(h, 0, 100, java.util.Arrays.copyOfRange(nameBytes, split + 1, nameBytes.length));
                    nameSet = true;
                }
            }
        }
        if (!nameSet) {
            pax.put("path", nameBytes);
            put(h, 0, 100, truncate(asciiOnly(name), 100));
        }

        String link = e.linkName();
        if (e.type() == TarEntry.Type.SYMLINK || e.type() == TarEntry.Type.HARDLINK) {
            byte[] lb = link.getBytes(StandardCharsets.UTF_8);
            if (isAscii(link) && lb.length <= 100) {
                put(h, 157, 100, lb);
            } else {
                pax.put("linkpath", lb);
                put(h, 157, 100, truncate(asciiOnly(link), 100));
            }
        }

        octal(h, 100, 8, e.mode() & 07777);
        numeric(h, 108, 8, e.uid() & 0xffffffffL, "uid", pax);
        numeric(h, 116, 8, e.gid() & 0xffffffffL, "gid", pax);
        long size = e.type() == TarEntry.Type.FILE ? e.size() : 0;
        numeric(h, 124, 12, size, "size", pax);
        long sec = e.mtime().getEpochSecond();
        int nanos = e.mtime().getNano();
        if (sec < 0 || sec > 077777777777L) {
            octal(h, 136, 12, sec < 0 ? 0 : 077777777777L);
            pax.put("mtime", paxTime(sec, nanos));
        } else {
            octal(h, 136, 12, sec);
            if (nanos != 0) pax.put("mtime", paxTime(sec, nanos));
        }
        h[156] = switch (e.type()) {
            case FILE -> '0';
            case HARDLINK -> '1';
            case SYMLINK -> '2';
            case CHAR -> '3';
            case BLOCK -> '4';
            case DIR -> '5';
            case FIFO -> '6';
        };
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        ownerName(h, 265, e.uname(), "uname", pax);
        ownerName(h, 297, e.gname(), "gname", pax);
        if (e.type() == TarEntry.Type.CHAR || e.type() == TarEntry.Type.BLOCK) {
            devNumber(h, 329, e.devMajor());
            devNumber(h, 337, e.devMinor());
        } else {
            octal(h, 329, 8, 0);
            octal(h, 337, 8, 0);
        }
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            pax.put("SCHILY.xattr." + x.getKey(), x.getValue());
        }

        if (!pax.isEmpty()) writePax(name, pax);
        checksum(h);
        out.write(h);
        if (size > 0) {
            if (content == null) throw new IllegalArgumentException("no content for " + e.name());
            copyExactly(content, size, e.name());
            long p = TarReader.pad(size);
            if (p > 0) out.write(ZERO, 0, (int) p);
        }
    }

    /** Adds a regular file (mode 0644, owner 0:0) with the given bytes. */
    public void addBytes(String name, byte[] data, Instant mtime) throws IOException {
        add(TarEntry.file(name, data.length, 0644, mtime), new ByteArrayInputStream(data));
    }

    /** Writes the end-of-archive marker (two zero blocks) and flushes; does not close the stream. */
    public void finish() throws IOException {
        if (finished) return;
        finished = true;
        out.write(ZERO);
        out.write(ZERO);
        out.flush();
    }

    /** Finishes the archive and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }

    private void copyExactly(InputStream in, long size, String name) throws IOException {
        byte[] buf = new byte[(int) Math.min(64 * 1024, size)];
        long left = size;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new BerthException.InvalidArgument("tar entry \"" + name + "\": content ended "
                        + left + " bytes short of its size " + size);
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    private void writePax(String name, Map<String, byte[]> records) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = r.getValue();
            int base = 1 + key.length + 1 + value.length + 1; // ' ' key '=' value '\n'
            int len = base + 1;
            while (len != base + Integer.toString(len).length()) len = base + Integer.toString(len).length();
            body.write(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
            body.write(' ');
            body.write(key);
            body.write('=');
            body.write(value);
            body.write('\n');
        }
        byte[] data = body.toByteArray();
        byte[] h = new byte[BLOCK];
        String base = name;
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        base = base.substring(base.lastIndexOf('/') + 1);
        put(h, 0, 100, truncate(asciiOnly("PaxHeaders.0/" + base), 100));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, data.length);
        octal(h, 136, 12, 0);
        h[156] = 'x';
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        checksum(h);
        out.write(h);
        out.write(data);
        long p = TarReader.pad(data.length);
        if (p > 0) out.write(ZERO, 0, (int) p);
    }

    private static byte[] paxTime(long sec, int nanos) {
        String s = Long.toString(sec);
        if (nanos != 0) {
            String frac = String.format("%09d", nanos).replaceFirst("0+$", "");
            s = s + "." + frac;
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Index of the '/' splitting a name into ustar prefix (≤155) and name (≤100), or -1. */
    private static int splitPoint(byte[] n) {
        for (int i = Math.min(155, n.length - 1); i > 0; i--) {
            if (n[i] == '/' && n.length - i - 1 <= 100 && n.length - i - 1 > 0) return i;
        }
        return -1;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7e) return false;
        }
        return true;
    }

    private static String asciiOnly(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c == 0 || c > 0x7e ? '_' : c);
        }
        return b.toString();
    }

    private static byte[] truncate(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return b.length <= max ? b : java.util.Arrays.copyOf(b, max);
    }

    private static void put(byte[] h, int off, int len, byte[] v) {
        System.arraycopy(v, 0, h, off, Math.min(len, v.length));
    }

    /** Octal, zero-padded to len-1 digits, NUL-terminated. */
    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        if (s.length() > len - 1) throw new IllegalArgumentException("value does not fit: " + v);
        s = "0".repeat(len - 1 - s.length()) + s;
        put(h, off, len - 1, s.getBytes(StandardCharsets.US_ASCII));
        h[off + len - 1] = 0;
    }

    private static boolean fitsOctal(long v, int len) {
        return v >= 0 && v < (1L << (3 * (len - 1)));
    }

    private static void numeric(byte[] h, int off, int len, long v, String key, Map<String, byte[]> pax) {
        if (fitsOctal(v, len)) {
            octal(h, off, len, v);
        } else {
            octal(h, off, len, 0);
            pax.put(key, Long.toString(v).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void devNumber(byte[] h, int off, int v) {
        long u = v & 0xffffffffL;
        if (fitsOctal(u, 8)) {
            octal(h, off, 8, u);
        } else { // base-256, as GNU tar and Go write it
            h[off] = (byte) 0x80;
            for (int i = 7; i >= 1; i--) {
                h[off + i] = (byte) (u & 0xff);
                u >>>= 8;
            }
        }
    }

    private static void ownerName(byte[] h, int off, String n, String key, Map<String, byte[]> pax) {
        byte[] b = n.getBytes(StandardCharsets.UTF_8);
        if (isAscii(n) && b.length <= 32) {
            put(h, off, 32, b);
        } else {
            pax.put(key, b);
            put(h, off, 32, truncate(asciiOnly(n), 32));
        }
    }

    private static void checksum(byte[] h) {
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        String s = Long.toOctalString(sum);
        s = "0".repeat(6 - s.length()) + s;
        put(h, 148, 6, s.getBytes(StandardCharsets.US_ASCII));
        h[154] = 0;
        h[155] = ' ';
    }
}
