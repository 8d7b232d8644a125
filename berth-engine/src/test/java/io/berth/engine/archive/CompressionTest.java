package io.berth.engine.archive;

import com.github.luben.zstd.ZstdOutputStream;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class CompressionTest {
    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(b);
        }
        return o.toByteArray();
    }

    static byte[] zstd(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(o)) {
            z.write(b);
        }
        return o.toByteArray();
    }

    /** A stream like a socket or pipe: available() says nothing, reads come in small pieces. */
    static InputStream trickle(byte[] b) {
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override public int available() { return 0; }
            @Override public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(len, 7));
            }
        };
    }

    private static byte[] payload() {
        byte[] p = new byte[200_000];
        for (int i = 0; i < p.length; i++) p[i] = (byte) (i % 251);
        return p;
    }

    @Test
    void detectsAndLeavesBytesUnread() throws IOException {
        byte[] p = payload();
        BufferedInputStream g = new BufferedInputStream(new ByteArrayInputStream(gzip(p)));
        assertThat(Compression.detect(g)).isEqualTo(Compression.Kind.GZIP);
        assertThat(g.read()).isEqualTo(0x1f);
        assertThat(Compression.detect(new BufferedInputStream(new ByteArrayInputStream(zstd(p))))).isEqualTo(Compression.Kind.ZSTD);
        assertThat(Compression.detect(new BufferedInputStream(new ByteArrayInputStream(p)))).isEqualTo(Compression.Kind.NONE);
        assertThat(Compression.detect(new BufferedInputStream(new ByteArrayInputStream(new byte[] {0x1f})))).isEqualTo(Compression.Kind.NONE);
        assertThat(Compression.detect(new BufferedInputStream(new ByteArrayInputStream(new byte[0])))).isEqualTo(Compression.Kind.NONE);
    }

    @Test
    void decompressesGzipZstdAndPlain() throws IOException {
        byte[] p = payload();
        assertThat(Compression.decompress(trickle(gzip(p))).readAllBytes()).isEqualTo(p);
        assertThat(Compression.decompress(trickle(zstd(p))).readAllBytes()).isEqualTo(p);
        assertThat(Compression.decompress(trickle(p)).readAllBytes()).isEqualTo(p);
        assertThat(Compression.decompress(new ByteArrayInputStream(new byte[0])).readAllBytes()).isEmpty();
    }

    @Test
    void multiMemberGzip() throws IOException {
        byte[] p = payload();
        ByteArrayOutputStream cat = new ByteArrayOutputStream();
        cat.write(gzip(java.util.Arrays.copyOfRange(p, 0, 1000)));
        cat.write(gzip(java.util.Arrays.copyOfRange(p, 1000, 150_000)));
        cat.write(gzip(java.util.Arrays.copyOfRange(p, 150_000, p.length)));
        assertThat(Compression.decompress(trickle(cat.toByteArray())).readAllBytes()).isEqualTo(p);
    }
}
