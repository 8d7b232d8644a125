package io.berth.engine.build.context;

import io.berth.engine.archive.Compression;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The compressions a build context or an ADD archive may carry, as moby's {@code compression.DecompressStream}:
 * gzip and zstd (through {@link Compression}), bzip2 and xz; anything else is taken as uncompressed.
 */
final class ContextCompression {
    private ContextCompression() {}

    /** A stream of the uncompressed bytes of {@code in}, recognized by its magic bytes. */
    static InputStream decompress(InputStream in) throws IOException {
        BufferedInputStream b = in instanceof BufferedInputStream bi ? bi : new BufferedInputStream(in, 64 * 1024);
        b.mark(8);
        byte[] m = b.readNBytes(6);
        b.reset();
        if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') return new BZip2CompressorInputStream(b, true);
        if (m.length == 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' && m[5] == 0) {
            return new XZInputStream(b);
        }
        return Compression.decompress(b);
    }
}
