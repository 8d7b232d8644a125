package io.berth.engine.archive;

import com.github.luben.zstd.ZstdInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Recognizes and undoes the compressions image layers use (gzip, zstd) by their magic bytes. */
public final class Compression {
    public enum Kind { NONE, GZIP, ZSTD }

    private Compression() {}

    /** The compression of the stream's next bytes, which are left unread (mark/reset). */
    public static Kind detect(BufferedInputStream in) throws IOException {
        in.mark(8);
        byte[] m = new byte[4];
        int n = 0;
        try {
            while (n < 4) {
                int r = in.read(m, n, 4 - n);
                if (r < 0) break;
                n += r;
            }
        } finally {
            in.reset();
        }
        if (n >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) return Kind.GZIP;
        if (n >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) {
            return Kind.ZSTD;
        }
        return Kind.NONE;
    }

    /** A stream of the uncompressed bytes: gunzipped (all members), un-zstd'd, or the input as is. */
    public static InputStream decompress(InputStream in) throws IOException {
        BufferedInputStream b = in instanceof BufferedInputStream bi ? bi : new BufferedInputStream(in, 64 * 1024);
        return switch (detect(b)) {
            case GZIP -> new GZIPInputStream(b, 64 * 1024);
            case ZSTD -> new ZstdInputStream(b);
            case NONE -> b;
        };
    }
}
