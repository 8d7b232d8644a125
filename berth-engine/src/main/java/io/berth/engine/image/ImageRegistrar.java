package io.berth.engine.image;

import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.engine.archive.Compression;
import io.berth.engine.archive.LayerApplier;
import io.berth.engine.content.ContentStore;
import io.berth.engine.content.HashingInputStream;
import io.berth.engine.service.ProgressSink;
import io.berth.api.errors.BerthException;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.Manifest;
import io.berth.oci.MediaTypes;
import io.berth.engine.snapshot.OverlaySnapshotter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Turns blobs already in the content store (a config and its layers, perhaps a manifest) into a
 * registered image: unpacks each layer into its snapshot once, verifying its DiffID, writes an OCI
 * manifest when the source had none, and records the image. Shared by load, import and (later)
 * pull, commit and build.
 */
public final class ImageRegistrar {
    private final ImageStore store;
    private final LayerApplier applier;

    public ImageRegistrar(ImageStore store, LayerApplier applier) {
        this.store = store;
        this.applier = applier;
    }

    LayerApplier applier() { return applier; }

    /** A stager writing into this registrar's content store and snapshots. */
    public LayerStager stager() { return new LayerStager(store.content(), store.snapshots(), applier); }

    /**
     * Makes the snapshot {@code chainId} of one layer (nothing when it exists): adopts {@code staged} when given
     * (its DiffID must be {@code diffId}), or unpacks the blob from the content store, verifying its DiffID.
     * Concurrent callers for one ChainID unpack once.
     */
    public void unpackLayer(Descriptor layer, Digest diffId, Digest chainId, Digest parent, StagedLayer staged)
            throws IOException {
        unpack(layer, diffId, chainId, parent, ProgressSink.DISCARD, staged);
    }

    /** Records that {@code repoDigest} ({@code name@sha256:…}, familiar) names the image {@code id}. */
    public Image addRepoDigest(Digest id, String repoDigest) throws IOException {
        return store.addRepoDigest(id, repoDigest);
    }

    /**
     * Registers the image whose config blob is {@code configDigest}. {@code manifestDigest} may be
     * null (one is written); {@code layers} are the layer blobs in order.
     */
    public Image register(Lease lease, Digest configDigest, Digest manifestDigest, List<Descriptor> layers,
                          ProgressSink progress) throws IOException {
        return register(lease, configDigest, manifestDigest, layers, progress, java.util.Map.of());
    }

    /** As above, adopting layers already unpacked while their blobs streamed in ({@code staged}, by blob digest). */
    Image register(Lease lease, Digest configDigest, Digest manifestDigest, List<Descriptor> layers,
                   ProgressSink progress, java.util.Map<Digest, StagedLayer> staged) throws IOException {
        return register(lease, configDigest, manifestDigest, layers, progress, staged, null, null);
    }

    /**
     * Registers a committed image with its {@code parent} image ("" for none) in one record write. When {@code upper}
     * is given, the last layer's files are already there (the overlay upper directory its diff was written from): if
     * that layer's snapshot is new, the directory becomes it, moved into place, instead of the blob being read and
     * unpacked again (on another file system than the snapshots, the blob is unpacked).
     */
    Image registerCommit(Lease lease, Digest configDigest, List<Descriptor> layers, java.nio.file.Path upper, String parent)
            throws IOException {
        return register(lease, configDigest, null, layers, ProgressSink.DISCARD, java.util.Map.of(), upper, parent);
    }

    private Image register(Lease lease, Digest configDigest, Digest manifestDigest, List<Descriptor> layers,
                           ProgressSink progress, java.util.Map<Digest, StagedLayer> staged, java.nio.file.Path adoptLast,
                           String parent) throws IOException {
        ContentStore content = store.content();
        ImageConfig config;
        try {
            config = Json.plain().readValue(content.read(configDigest), ImageConfig.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new BerthException.InvalidArgument("invalid image config " + configDigest + ": " + e.getOriginalMessage());
        }
        List<Digest> diffIds = config.diffIds();
        if (diffIds.size() != layers.size()) {
            throw new BerthException.InvalidArgument("invalid image " + configDigest + ": " + layers.size()
                    + " layers but the config lists " + diffIds.size() + " diff IDs");
        }
        List<Digest> chains = Digest.chainIds(diffIds);
        for (int i = 0; i < layers.size(); i++) {
            lease.hold(chains.get(i));
            Digest below = i == 0 ? null : chains.get(i - 1);
            if (i == layers.size() - 1 && adoptLast != null && store.snapshots().canAdopt(adoptLast)) {
                store.snapshots().create(chains.get(i), below, diffIds.get(i), OverlaySnapshotter.adopting(adoptLast));
            } else {
                unpack(layers.get(i), diffIds.get(i), chains.get(i), below, progress, staged.get(layers.get(i).digestValue()));
            }
        }
        if (manifestDigest == null) {
            Descriptor configDesc = new Descriptor(MediaTypes.OCI_CONFIG, configDigest, content.size(configDigest));
            manifestDigest = content.put(Json.plain().writeValueAsBytes(Manifest.oci(configDesc, layers)));
            lease.hold(manifestDigest);
        }
        Image existing = store.get(configDigest).orElse(null);
        Image img = store.materialize(configDigest, manifestDigest,
                existing == null ? null : existing.lastTagTime(), existing == null ? List.of() : existing.repoDigests())
                .withParent(parent != null ? parent : existing == null ? null : existing.parent());
        store.put(img);
        return img;
    }

    private void unpack(Descriptor layer, Digest diffId, Digest chainId, Digest parent, ProgressSink progress,
                        StagedLayer staged) throws IOException {
        OverlaySnapshotter snapshots = store.snapshots();
        if (snapshots.get(chainId).isPresent()) return;
        if (staged != null && java.nio.file.Files.isDirectory(staged.dir().resolve("fs"))) {
            if (!staged.diffId().equals(diffId)) {
                throw new BerthException.InvalidArgument("layer " + layer.digest() + " does not match its diff ID: expected "
                        + diffId + ", got " + staged.diffId());
            }
            snapshots.create(chainId, parent, diffId, staged::moveInto);
            progress.send(JsonMessage.progress(diffId.shortHex(), "Loading layer", staged.size(), staged.size()));
            return;
        }
        Digest blob = layer.digestValue();
        long total = store.content().size(blob);
        String shortId = diffId.shortHex();
        snapshots.create(chainId, parent, diffId, fs -> {
            try (InputStream raw = new ProgressInputStream(store.content().open(blob), total, shortId, progress);
                 HashingInputStream in = new HashingInputStream(Compression.decompress(new BufferedInputStream(raw, 1 << 16)))) {
                long size = applier.apply(in, fs).size();
                Digest actual = in.drainAndDigest();
                if (!actual.equals(diffId)) {
                    throw new BerthException.InvalidArgument("layer " + blob + " does not match its diff ID: expected " + diffId + ", got " + actual);
                }
                return size;
            }
        });
        progress.send(JsonMessage.progress(shortId, "Loading layer", total, total));
    }

    /** Reports reading progress of a layer blob every 4 MiB. */
    private static final class ProgressInputStream extends java.io.FilterInputStream {
        private static final long STEP = 4 << 20;
        private final long total;
        private final String id;
        private final ProgressSink sink;
        private long read;
        private long next = STEP;

        ProgressInputStream(InputStream in, long total, String id, ProgressSink sink) {
            super(in);
            this.total = total;
            this.id = id;
            this.sink = sink;
        }

        @Override public int read() throws IOException {
            int b = super.read();
            if (b >= 0) advance(1);
            return b;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) advance(n);
            return n;
        }

        private void advance(long n) {
            read += n;
            if (read >= next) {
                next = read + STEP;
                sink.send(JsonMessage.progress(id, "Loading layer", read, total));
            }
        }
    }
}
