package io.berth.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes ustar archives for tests: regular files, directories, symbolic links, hard links. Names are taken as given
 * (so tests can write hostile names such as {@code ../evil}); at most 100 bytes.
 */
public final class TarWriter implements AutoCloseable {
    /** Streams a file's content; must write exactly the declared size. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private final OutputStream out;
    private final boolean closeTarget;

    public TarWriter(OutputStream out) {
        this(out, true);
    }

    public TarWriter(OutputStream out, boolean closeTarget) {
        this.out = out;
        this.closeTarget = closeTarget;
    }

    /** Bytes a regular-file entry of {@code size} bytes takes: header plus padded data. */
    public static long entrySize(long size) {
        return 512 + (size + 511) / 512 * 512;
    }

    /** Bytes of the end-of-archive marker written by {@link #finish()}. */
    public static final long TRAILER = 1024;

    public TarWriter file(String name, int mode, byte[] data) throws IOException {
        return file(name, mode, data.length, o -> o.write(data));
    }

    public TarWriter file(String name, int mode, String text) throws IOException {
        return file(name, mode, text.getBytes(StandardCharsets.UTF_8));
    }

    public TarWriter file(String name, int mode, long size, Content content) throws IOException {
        header(name, mode, size, '0', "");
        CountingOutputStream c = new CountingOutputStream(out);
        content.writeTo(c);
        if (c.count != size) {
            throw new IOException("entry " + name + ": wrote " + c.count + " bytes, declared " + size);
        }
        pad(size);
        return this;
    }

    public TarWriter dir(String name, int mode) throws IOException {
        header(name.endsWith("/") ? name : name + "/", mode, 0, '5', "");
        return this;
    }

    public TarWriter symlink(String name, String target) throws IOException {
        header(name, 0777, 0, '2', target);
        return this;
    }

    public TarWriter hardlink(String name, String target) throws IOException {
        header(name, 0644, 0, '1', target);
        return this;
    }

    public void finish() throws IOException {
        out.write(new byte[(int) TRAILER]);
        out.flush();
    }

    @Override public void close() throws IOException {
        finish();
        if (closeTarget) {
            out.close();
        }
    }

    private void header(String name, int mode, long size, char type, String link) throws IOException {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 1_700_000_000L);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        h[262] = 0;
        h[263] = '0';
        h[264] = '0';
        put(h, 265, 32, "root");
        put(h, 297, 32, "root");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String s = String.format("%06o", sum);
        put(h, 148, 6, s);
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
    }

    private void pad(long size) throws IOException {
        int rem = (int) (size % 512);
        if (rem != 0) {
            out.write(new byte[512 - rem]);
        }
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > len) {
            throw new IllegalArgumentException("too long for a ustar field: " + s);
        }
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = String.format("%0" + (len - 1) + "o", v);
        put(h, off, len - 1, s);
        h[off + len - 1] = 0;
    }

    private static final class CountingOutputStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
