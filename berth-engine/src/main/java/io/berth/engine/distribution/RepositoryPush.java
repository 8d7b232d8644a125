package io.berth.engine.distribution;

import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.PushResult;
import io.berth.engine.content.ContentStore;
import io.berth.engine.image.Image;
import io.berth.engine.service.ProgressSink;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * One push to one repository, tag after tag (moby's {@code pushV2Tag}): "Preparing" for each distinct layer, top
 * first; its upload starts at once when one of the daemon's upload slots is free, else after "Waiting"; when every
 * layer is there, the config blob and the manifest, then "&lt;tag&gt;: digest: sha256:… size: N" and the aux
 * {@link PushResult}. A failed layer cancels the others and fails the push.
 */
final class RepositoryPush {
    private final RepositorySession session;
    private final ContentStore content;
    private final LayerPush layers;
    private final Semaphore slots;
    private final ProgressSink progress;
    private final Set<Digest> configs = new HashSet<>();

    RepositoryPush(RepositorySession session, ContentStore content, LayerPush layers, Semaphore slots, ProgressSink progress) {
        this.session = session;
        this.content = content;
        this.layers = layers;
        this.slots = slots;
        this.progress = progress;
    }

    /**
     * Checks push access before anything is streamed, with a request that needs it: a mount of the image's config
     * blob from this very repository (an upload start), then its upload when the registry does not hold it. Refused
     * credentials fail here as Unauthorized, so the API can still answer 401.
     */
    void checkAccess(Image image) throws IOException {
        if (!session.mount(image.id(), session.repository().path())) upload(configOf(image));
        configs.add(image.id());
    }

    /** Pushes {@code image} as {@code tag}; returns the manifest as the registry stores it. */
    PushManifest pushTag(String tag, Image image) throws IOException, InterruptedException {
        Map<Digest, LayerBlob> blobs = pushLayers(image);
        Descriptor config = configOf(image);
        if (configs.add(image.id()) && !session.exists(image.id())) upload(config);
        List<LayerBlob> ordered = new ArrayList<>();
        for (Image.Layer l : image.layers()) ordered.add(blobs.get(l.diffId()));
        PushManifest manifest = PushManifest.of(content.read(image.manifestDigest()), config, ordered);
        session.putManifest(tag, manifest.mediaType(), manifest.body());
        Digest digest = manifest.digest();
        int size = manifest.body().length;
        progress.send(JsonMessage.status(null, tag + ": digest: " + digest + " size: " + size));
        progress.send(new JsonMessage(null, null, null, null, new JsonMessage.ProgressDetail(0, 0), null, null,
                new PushResult(tag, digest.toString(), size)));
        return manifest;
    }

    private Map<Digest, LayerBlob> pushLayers(Image image) throws IOException, InterruptedException {
        Map<Digest, Image.Layer> distinct = new LinkedHashMap<>();
        for (Image.Layer l : image.layers().reversed()) distinct.putIfAbsent(l.diffId(), l);
        for (Digest d : distinct.keySet()) update(d, "Preparing");
        Map<Digest, Future<LayerBlob>> running = new LinkedHashMap<>();
        try (ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Image.Layer> now = new ArrayList<>();
            List<Image.Layer> waiting = new ArrayList<>();
            for (Image.Layer l : distinct.values()) {
                if (waiting.isEmpty() && slots.tryAcquire()) {
                    now.add(l);
                } else {
                    update(l.diffId(), "Waiting");
                    waiting.add(l);
                }
            }
            // every "Waiting" is out before the first upload can report "Pushed"
            for (Image.Layer l : now) running.put(l.diffId(), start(uploads, l));
            for (Image.Layer l : waiting) {
                slots.acquire();
                if (running.values().stream().anyMatch(f -> f.state() == Future.State.FAILED)) {
                    slots.release();
                    break;
                }
                running.put(l.diffId(), start(uploads, l));
            }
            Map<Digest, LayerBlob> out = new LinkedHashMap<>();
            for (var e : running.entrySet()) {
                try {
                    out.put(e.getKey(), e.getValue().get());
                } catch (ExecutionException failed) {
                    uploads.shutdownNow();
                    throw rethrow(failed.getCause());
                }
            }
            return out;
        }
    }

    private Future<LayerBlob> start(ExecutorService uploads, Image.Layer layer) {
        return uploads.submit(() -> {
            try {
                return layers.push(layer);
            } finally {
                slots.release();
            }
        });
    }

    private void upload(Descriptor blob) throws IOException {
        session.upload(blob, () -> content.open(blob.digestValue()));
    }

    private Descriptor configOf(Image image) {
        return new Descriptor(MediaTypes.DOCKER_CONFIG, image.id(), content.size(image.id()));
    }

    private void update(Digest diffId, String status) { progress.send(JsonMessage.update(diffId.shortHex(), status)); }

    private static IOException rethrow(Throwable cause) {
        if (cause instanceof IOException io) return io;
        if (cause instanceof RuntimeException re) throw re;
        if (cause instanceof Error err) throw err;
        throw new BerthException.SystemError("push failed: " + cause, cause);
    }
}
