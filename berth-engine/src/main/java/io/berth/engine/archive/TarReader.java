package io.berth.engine.archive;

import io.berth.api.errors.BerthException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a tar stream: ustar, GNU (long names {@code L}/{@code K}, base-256 numbers) and PAX
 * (local {@code x} and global {@code g} headers, {@code SCHILY.xattr.*} with binary values).
 * Every header's checksum is verified. Malformed or truncated input raises
 * {@link BerthException.InvalidArgument}; I/O failures of the underlying stream stay IOExceptions.
 * Not thread-safe.
 */
public final class TarReader implements Closeable {
    static final int BLOCK = 512;
    private static final int MAX_META = 16 << 20; // PAX / GNU long-name payload limit

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private final Map<String, byte[]> globalPax = new LinkedHashMap<>();
    private long remaining;  // unread content bytes of the current entry
    private long padding;    // padding after the current entry's content
    private boolean done;
    private ContentStream current;
    private int entries;

    public TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive. Skips whatever of the previous entry's content was not read. */
    public TarEntry next() throws IOException {
        if (done) return null;
        if (current != null) current.closed = true;
        current = null;
        skipFully(remaining + padding);
        remaining = padding = 0;

        Map<String, byte[]> pax = null;
        String longName = null, longLink = null;
        while (true) {
            int n = readBlock(header);
            if (n == 0) {
                if (entries == 0 && pax == null && longName == null && longLink == null) {
                    done = true; // an empty stream is an empty archive
                    return null;
                }
                throw truncated();
            }
            if (n < BLOCK) throw truncated();
            if (isZero(header)) {
                if (pax != null || longName != null || longLink != null) {
                    throw invalid("extended header not followed by an entry");
                }
                int m = readBlock(header);
                if (m == BLOCK && !isZero(header)) throw invalid("invalid tar header: lone zero block");
                if (m != 0 && m != BLOCK) throw truncated();
                done = true;
                return null;
            }
            verifyChecksum(header);
            byte flag = header[156];
            long size = number(header, 124, 12, "size");
            if (size < 0) throw invalid("invalid tar header: negative size");
            switch (flag) {
                case 'x' -> {
                    if (pax == null) pax = new LinkedHashMap<>();
                    pax.putAll(parsePax(readMeta(size)));
                    continue;
                }
                case 'g' -> {
                    globalPax.putAll(parsePax(readMeta(size)));
                    continue;
                }
                case 'L' -> {
                    longName = cString(readMeta(size));
                    continue;
                }
                case 'K' -> {
                    longLink = cString(readMeta(size));
                    continue;
                }
                default -> { }
            }
            Map<String, byte[]> records = new LinkedHashMap<>(globalPax);
            if (pax != null) records.putAll(pax);
            TarEntry e = build(flag, size, records, longName, longLink);
            entries++;
            if (e == null) { // a member type Berth does not unpack (volume label, …): skip it
                skipFully(size + pad(size));
                pax = null;
                longName = longLink = null;
                continue;
            }
            remaining = e.type() == TarEntry.Type.FILE ? e.size() : 0;
            long dataSize = e.type() == TarEntry.Type.FILE ? e.size() : headerOnly(flag) ? 0 : size;
            if (e.type() != TarEntry.Type.FILE) skipFully(dataSize + pad(dataSize)); // no content to hand out
            padding = e.type() == TarEntry.Type.FILE ? pad(e.size()) : 0;
            return e;
        }
    }

    /** The content of the current entry, bounded to its size (empty for non-files). */
    public InputStream content() {
        if (current == null) current = new ContentStream();
        return current;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static boolean headerOnly(byte flag) {
        return flag == '1' || flag == '2' || flag == '3' || flag == '4' || flag == '5' || flag == '6';
    }

    private TarEntry build(byte flag, long size, Map<String, byte[]> pax, String longName, String longLink) {
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r' && header[262] == 0;
        String name = field(header, 0, 100);
        if (ustar) {
            String prefix = field(header, 345, 155);
            if (!prefix.isEmpty()) name = prefix + "/" + name;
        }
        if (longName != null) name = longName;
        String link = longLink != null ? longLink : field(header, 157, 100);
        int mode = (int) number(header, 100, 8, "mode") & 07777;
        long uid = number(header, 108, 8, "uid");
        long gid = number(header, 116, 8, "gid");
        long mtimeSec = number(header, 136, 12, "mtime");
        Instant mtime = Instant.ofEpochSecond(mtimeSec);
        String uname = field(header, 265, 32);
        String gname = field(header, 297, 32);
        int devMajor = 0, devMinor = 0;
        if (flag == '3' || flag == '4') {
            devMajor = (int) number(header, 329, 8, "devmajor");
            devMinor = (int) number(header, 337, 8, "devminor");
        }
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> r : pax.entrySet()) {
            String k = r.getKey();
            byte[] v = r.getValue();
            switch (k) {
                case "path" -> name = utf8(v);
                case "linkpath" -> link = utf8(v);
                case "size" -> size = paxLong(k, v);
                case "uid" -> uid = paxLong(k, v);
                case "gid" -> gid = paxLong(k, v);
                case "uname" -> uname = utf8(v);
                case "gname" -> gname = utf8(v);
                case "mtime" -> mtime = paxTime(v);
                default -> {
                    if (k.startsWith("SCHILY.xattr.")) {
                        xattrs.put(k.substring("SCHILY.xattr.".length()), v);
                    } else if (k.startsWith("LIBARCHIVE.xattr.")) {
                        String xn = java.net.URLDecoder.decode(k.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
                        xattrs.putIfAbsent(xn, Base64.getMimeDecoder().decode(v));
                    }
                }
            }
        }
        if (uid < 0 || uid > 0xffffffffL || gid < 0 || gid > 0xffffffffL) {
            throw invalid("invalid tar header for \"" + name + "\": uid/gid out of range");
        }
        if (name.isEmpty()) throw invalid("invalid tar header: empty name");
        TarEntry.Type type = switch (flag) {
            case '0', 0, '7' -> name.endsWith("/") ? TarEntry.Type.DIR : TarEntry.Type.FILE;
            case '1' -> TarEntry.Type.HARDLINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR;
            case '4' -> TarEntry.Type.BLOCK;
            case '5' -> TarEntry.Type.DIR;
            case '6' -> TarEntry.Type.FIFO;
            case 'S' -> throw invalid("unsupported tar entry \"" + name + "\": GNU sparse file");
            default -> null;
        };
        if (type == null) return null;
        if (type != TarEntry.Type.FILE) size = 0;
        return new TarEntry(name, type, mode, (int) uid, (int) gid, uname, gname, size, mtime,
                link, devMajor, devMinor, xattrs);
    }

    // --- low-level reading ---

    private int readBlock(byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int r = in.read(b, off, b.length - off);
            if (r < 0) break;
            off += r;
        }
        return off;
    }

    private void skipFully(long n) throws IOException {
        byte[] buf = null;
        while (n > 0) {
            long s = in.skip(n);
            if (s > 0) {
                n -= s;
                continue;
            }
            if (buf == null) buf = new byte[8192];
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) throw truncated();
            n -= r;
        }
    }

    private byte[] readMeta(long size) throws IOException {
        if (size > MAX_META) throw invalid("invalid tar header: extended header of " + size + " bytes");
        byte[] b = new byte[(int) size];
        int off = 0;
        while (off < b.length) {
            int r = in.read(b, off, b.length - off);
            if (r < 0) throw truncated();
            off += r;
        }
        skipFully(pad(size));
        return b;
    }

    static long pad(long size) {
        long r = size % BLOCK;
        return r == 0 ? 0 : BLOCK - r;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static void verifyChecksum(byte[] h) {
        long stored;
        try {
            stored = parseOctal(h, 148, 8);
        } catch (NumberFormatException e) {
            throw invalid("invalid tar header: bad checksum field");
        }
        long unsigned = 0, signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = (i >= 148 && i < 156) ? (byte) ' ' : h[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) throw invalid("invalid tar header: checksum mismatch");
    }

    private static long number(byte[] h, int off, int len, String what) {
        if ((h[off] & 0x80) != 0) { // base-256 (GNU)
            byte[] mag = new byte[len];
            System.arraycopy(h, off, mag, 0, len);
            mag[0] = (byte) ((h[off] & 0x40) != 0 ? mag[0] : mag[0] & 0x7f); // 0xff prefix = negative
            BigInteger v = new BigInteger(mag);
            if (v.bitLength() > 63) throw invalid("invalid tar header: " + what + " out of range");
            return v.longValue();
        }
        try {
            return parseOctal(h, off, len);
        } catch (NumberFormatException e) {
            throw invalid("invalid tar header: bad " + what + " field");
        }
    }

    private static long parseOctal(byte[] h, int off, int len) {
        int i = off, end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) i++;
        long v = 0;
        boolean any = false;
        for (; i < end; i++) {
            byte b = h[i];
            if (b == 0 || b == ' ') break;
            if (b < '0' || b > '7') throw new NumberFormatException();
            if (v > (Long.MAX_VALUE >> 3)) throw new NumberFormatException();
            v = (v << 3) | (b - '0');
            any = true;
        }
        for (; i < end; i++) if (h[i] != 0 && h[i] != ' ') throw new NumberFormatException();
        return any ? v : 0;
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) end++;
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** PAX records: "LEN KEY=VALUE\n", LEN counting the whole record; values are kept as bytes. */
    static Map<String, byte[]> parsePax(byte[] data) {
        Map<String, byte[]> out = new HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            if (data[pos] == 0) break; // some writers pad with NULs
            int sp = pos;
            long len = 0;
            while (sp < data.length && data[sp] >= '0' && data[sp] <= '9') {
                len = len * 10 + (data[sp] - '0');
                if (len > data.length) throw invalid("invalid tar header: bad PAX record length");
                sp++;
            }
            if (sp >= data.length || data[sp] != ' ' || sp == pos || len <= 0 || pos + len > data.length
                    || data[(int) (pos + len - 1)] != '\n') {
                throw invalid("invalid tar header: malformed PAX record");
            }
            int end = (int) (pos + len - 1);
            int eq = sp + 1;
            while (eq < end && data[eq] != '=') eq++;
            if (eq >= end) throw invalid("invalid tar header: malformed PAX record");
            String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            byte[] value = new byte[end - eq - 1];
            System.arraycopy(data, eq + 1, value, 0, value.length);
            out.put(key, value);
            pos = (int) (pos + len);
        }
        return out;
    }

    private static long paxLong(String key, byte[] v) {
        try {
            return Long.parseLong(utf8(v).trim());
        } catch (NumberFormatException e) {
            throw invalid("invalid tar header: bad PAX " + key);
        }
    }

    private static Instant paxTime(byte[] v) {
        try {
            BigDecimal d = new BigDecimal(utf8(v).trim());
            BigDecimal sec = d.setScale(0, java.math.RoundingMode.FLOOR);
            long nanos = d.subtract(sec).movePointRight(9).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
            return Instant.ofEpochSecond(sec.longValueExact(), nanos);
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            throw invalid("invalid tar header: bad PAX mtime");
        }
    }

    private static BerthException.InvalidArgument invalid(String msg) {
        return new BerthException.InvalidArgument(msg);
    }

    private static BerthException.InvalidArgument truncated() {
        return new BerthException.InvalidArgument("invalid tar: unexpected end of archive (truncated)");
    }

    private final class ContentStream extends InputStream {
        boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int r = read(one, 0, 1);
            return r < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed || remaining <= 0) return -1;
            if (len == 0) return 0;
            int r = in.read(b, off, (int) Math.min(len, remaining));
            if (r < 0) throw truncated();
            remaining -= r;
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            if (closed || remaining <= 0 || n <= 0) return 0;
            long s = in.skip(Math.min(n, remaining));
            if (s > 0) remaining -= s;
            return Math.max(0, s);
        }

        @Override
        public int available() throws IOException {
            return closed ? 0 : (int) Math.min(remaining, in.available());
        }

        @Override
        public void close() {
            // the rest is skipped by next(); the archive stream stays open
        }
    }
}
