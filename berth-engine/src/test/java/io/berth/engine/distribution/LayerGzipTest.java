package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The layer gzip: a plain gzip member, the same bytes however it is fed, stored blocks where deflate cannot help. */
class LayerGzipTest {
    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] text(int n) {
        byte[] line = "usr/bin/busybox the quick brown fox jumps over the lazy dog 0123456789\n".getBytes();
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = line[i % line.length];
        return b;
    }

    static byte[] gzip(byte[] data, int writeSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LayerGzip gz = new LayerGzip(out)) {
            for (int off = 0; off < data.length; off += writeSize) gz.write(data, off, Math.min(writeSize, data.length - off));
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void roundTripsAndIsTheSameHoweverItIsWritten() throws IOException {
        byte[] data = concat(text(3 * LayerGzip.SLICE + 17), random(5 * LayerGzip.SLICE, 1), text(2 * LayerGzip.SLICE));
        byte[] whole = gzip(data, data.length);
        assertThat(gunzip(whole)).isEqualTo(data);
        assertThat(gzip(data, 8192)).isEqualTo(whole);
        assertThat(gzip(data, 1)).hasSize(whole.length);
        assertThat(gunzip(gzip(new byte[0], 1))).isEmpty();
    }

    @Test
    void compressesWhatDeflateCanAndStoresWhatItCannot() throws IOException {
        byte[] compressible = text(4 * LayerGzip.SLICE);
        assertThat(gzip(compressible, 65536).length).isLessThan(compressible.length / 20);
        byte[] noise = random(6 * LayerGzip.SLICE, 2);
        byte[] stored = gzip(noise, 65536);
        assertThat(gunzip(stored)).isEqualTo(noise);
        assertThat(stored.length).isBetween(noise.length, noise.length + noise.length / 100);
    }

    @Test
    void aProbeFindsCompressibleDataAgainAfterNoise() throws IOException {
        byte[] noise = random(2 * LayerGzip.SLICE, 3);
        byte[] tail = text((LayerGzip.PROBE_EVERY + 8) * LayerGzip.SLICE);
        byte[] gz = gzip(concat(noise, tail), 65536);
        assertThat(gunzip(gz)).isEqualTo(concat(noise, tail));
        // the noise and at most PROBE_EVERY slices of text are stored; the rest of the text compresses
        assertThat((long) gz.length).isLessThan(noise.length + (long) (LayerGzip.PROBE_EVERY + 1) * LayerGzip.SLICE);
    }
}
