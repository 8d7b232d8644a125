package io.berth.engine.distribution;

import io.berth.engine.archive.Compression;
import io.berth.engine.content.ContentStore;
import io.berth.engine.image.Image;
import io.berth.engine.image.Lease;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.content.ContentWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The blob to push for a layer: its own blob when that is gzip or zstd (pulled or loaded compressed: pushed as is),
 * else a gzip blob made of the uncompressed tar once ({@link LayerGzip}), kept in the content store and remembered by DiffID in
 * {@link CompressedLayers}, so every later push sends the same bytes. Two pushes of the same layer at once
 * compress it once.
 */
final class LayerCompressor {
    private final ContentStore content;
    private final CompressedLayers known;
    private final Object[] locks = new Object[64];

    LayerCompressor(ContentStore content, CompressedLayers known) {
        this.content = content;
        this.known = known;
        for (int i = 0; i < locks.length; i++) locks[i] = new Object();
    }

    /** The blob to push for {@code layer}; a blob made now is held by {@code lease} until the push ends. */
    LayerBlob blobFor(Image.Layer layer, Lease lease) throws IOException {
        Digest stored = layer.blob().digestValue();
        if (!stored.equals(layer.diffId())) {
            Compression.Kind kind = compressionOf(stored);
            if (kind != Compression.Kind.NONE) return new LayerBlob(layer.diffId(), stored, content.size(stored), kind);
        }
        synchronized (locks[Math.floorMod(layer.diffId().hashCode(), locks.length)]) {
            var made = known.compressed(layer.diffId()).filter(d -> content.exists(d.digestValue()));
            if (made.isPresent()) {
                lease.hold(made.get().digestValue());
                return new LayerBlob(layer.diffId(), made.get().digestValue(), made.get().size(), Compression.Kind.GZIP);
            }
            return compress(layer.diffId(), stored, lease);
        }
    }

    private LayerBlob compress(Digest diffId, Digest tar, Lease lease) throws IOException {
        Digest digest;
        long size;
        try (ContentWriter out = content.writer(); InputStream in = content.open(tar)) {
            try (LayerGzip gz = new LayerGzip(out)) {
                in.transferTo(gz);
            }
            size = out.size();
            digest = out.commit(null, -1);
        }
        lease.hold(digest);
        known.rememberCompressed(diffId, new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, size));
        return new LayerBlob(diffId, digest, size, Compression.Kind.GZIP);
    }

    private Compression.Kind compressionOf(Digest blob) throws IOException {
        try (BufferedInputStream in = new BufferedInputStream(content.open(blob), 16)) {
            return Compression.detect(in);
        }
    }
}
