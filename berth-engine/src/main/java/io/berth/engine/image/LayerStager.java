package io.berth.engine.image;

import io.berth.engine.archive.Compression;
import io.berth.engine.archive.LayerApplier;
import io.berth.engine.content.AtomicFiles;
import io.berth.engine.content.ContentStore;
import io.berth.engine.content.HashingInputStream;
import io.berth.engine.content.ObservedInputStream;
import io.berth.engine.snapshot.OverlaySnapshotter;
import io.berth.api.errors.BerthException;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.content.ContentWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Ingests the files of an image archive, and unpacks the ones that look like layers (a tar, or a
 * gzip/zstd stream) in the same pass: one read and one hash of each byte, where storing then
 * unpacking would read and hash everything twice. The unpacked tree waits as a {@link StagedLayer}
 * until the image naming it is registered; a file that turns out not to be a layer is just stored.
 * A pull {@linkplain #stage stages} each layer blob as it downloads.
 */
public final class LayerStager {
    private static final long MIN_SIZE = 1 << 20;

    private final ContentStore content;
    private final OverlaySnapshotter snapshots;
    private final LayerApplier applier;

    LayerStager(ContentStore content, OverlaySnapshotter snapshots, LayerApplier applier) {
        this.content = content;
        this.snapshots = snapshots;
        this.applier = applier;
    }

    /** Stores {@code data} as a blob (verified against {@code expected} when given); stages it when it is a layer. */
    Digest ingest(InputStream data, long size, Digest expected, Map<Digest, StagedLayer> staged) throws IOException {
        if (size < MIN_SIZE) return content.put(data, expected);
        BufferedInputStream in = new BufferedInputStream(data, 1 << 16);
        Compression.Kind kind = Compression.detect(in);
        if (kind == Compression.Kind.NONE && !looksLikeTar(in)) return content.put(in, expected);
        try (ContentWriter blob = content.layerWriter()) {
            Tee tee = new Tee(in, blob);
            HashingInputStream uncompressed = kind == Compression.Kind.NONE ? null : new HashingInputStream(Compression.decompress(tee));
            Path dir = snapshots.stagingDir();
            long applied;
            Digest diffId = null;
            try {
                applied = applier.apply(uncompressed == null ? tee : uncompressed, dir.resolve("fs")).size();
                if (uncompressed != null) diffId = uncompressed.drainAndDigest();
            } catch (IOException | RuntimeException notALayer) {
                // not a layer after all, or a broken one: keep the bytes; registering an image that names it
                // unpacks it the ordinary way and reports the error then
                AtomicFiles.deleteTree(dir);
                dir = null;
                applied = 0;
            }
            tee.drain();
            Digest digest = blob.commit(expected, -1);
            if (dir != null) staged.put(digest, new StagedLayer(dir, diffId != null ? diffId : digest, applied));
            return digest;
        }
    }

    /**
     * Stores the layer blob {@code blob} as {@code data} streams in and unpacks it in the same pass (gzip, zstd or
     * plain tar): the blob becomes visible in the content store only once its digest and size match {@code blob}
     * (BerthException.InvalidArgument "filesystem layer verification failed for digest …" otherwise), and its files
     * wait in a staging directory, with the DiffID computed on the way.
     */
    public StagedLayer stage(InputStream data, Descriptor blob) throws IOException {
        Digest expected = blob.digestValue();
        BufferedInputStream in = new BufferedInputStream(data, 1 << 16);
        Compression.Kind kind = Compression.detect(in);
        try (ContentWriter writer = content.layerWriter()) {
            Tee tee = new Tee(in, writer);
            HashingInputStream uncompressed = kind == Compression.Kind.NONE ? null : new HashingInputStream(Compression.decompress(tee));
            Path dir = snapshots.stagingDir();
            try {
                long applied;
                Digest diffId;
                try {
                    applied = applier.apply(uncompressed == null ? tee : uncompressed, dir.resolve("fs")).size();
                    diffId = uncompressed == null ? expected : uncompressed.drainAndDigest();
                } catch (IOException | RuntimeException broken) {
                    // corrupt bytes usually break the unpack first: name the digest mismatch when that is the cause
                    tee.drain();
                    verify(writer, blob);
                    throw broken;
                }
                tee.drain();
                verify(writer, blob);
                return new StagedLayer(dir, diffId, applied);
            } catch (IOException | RuntimeException e) {
                AtomicFiles.deleteTree(dir);
                throw e;
            }
        }
    }

    private static void verify(ContentWriter writer, Descriptor blob) throws IOException {
        try {
            writer.commit(blob.digestValue(), blob.size());
        } catch (BerthException.InvalidArgument mismatch) {
            throw new BerthException.InvalidArgument("filesystem layer verification failed for digest " + blob.digest());
        }
    }

    /** A ustar/GNU header: "ustar" at offset 257. */
    private static boolean looksLikeTar(BufferedInputStream in) throws IOException {
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        return head.length == 512 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }

    /** Copies everything read (skips included) to the blob being written. */
    private static final class Tee extends ObservedInputStream {
        private final OutputStream copy;

        Tee(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override protected void observe(byte[] b, int off, int len) throws IOException { copy.write(b, off, len); }

        @Override public void close() {
            // the archive stream belongs to the caller
        }
    }
}
