package io.berth.engine.distribution;

import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.engine.content.ContentStore;
import io.berth.engine.image.Image;
import io.berth.engine.image.Lease;
import io.berth.engine.service.ProgressSink;
import io.berth.oci.Descriptor;
import io.berth.oci.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes the layers of one push operation to one repository, each as moby's {@code pushDescriptor.Upload}: a layer
 * this push already sent is "Layer already exists"; otherwise its blob is checked with {@code HEAD} first when the
 * repository is known to hold it, mounted from up to {@value #MOUNT_CANDIDATES} other repositories of the same
 * registry that {@link BlobOrigins} names ("Mounted from &lt;repo&gt;"), checked with {@code HEAD} ("Layer already
 * exists"), or uploaded ("Pushing" with progress, then "Pushed"). A failed attempt is retried up to
 * {@value #MAX_ATTEMPTS} times in all, after a countdown of 5, 10, 15… seconds ("Retrying in N seconds"); refusals
 * (unauthorized, denied, not found, invalid) are not retried. Messages carry the first 12 hex of the DiffID.
 */
final class LayerPush {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LayerPush.class);
    static final int MAX_ATTEMPTS = 5;
    /** moby's {@code maxUploadAttempts}: five attempts, so four retries, counting down a second at a time. */
    static final RetryPolicy RETRIES = new RetryPolicy(MAX_ATTEMPTS - 1, java.time.Duration.ofSeconds(1));
    static final int MOUNT_CANDIDATES = 3;

    private final RepositorySession session;
    private final ContentStore content;
    private final LayerCompressor compressor;
    private final BlobOrigins origins;
    private final RetryPolicy retry;
    private final Lease lease;
    private final ProgressSink progress;
    private final String host;
    private final String path;
    private final Map<io.berth.oci.Digest, LayerBlob> pushed = new ConcurrentHashMap<>();

    LayerPush(RepositorySession session, ContentStore content, LayerCompressor compressor, BlobOrigins origins,
              RetryPolicy retry, Lease lease, ProgressSink progress) {
        this.session = session;
        this.content = content;
        this.compressor = compressor;
        this.origins = origins;
        this.retry = retry;
        this.lease = lease;
        this.progress = progress;
        this.host = session.repository().domain();
        this.path = session.repository().path();
    }

    /** Makes sure the registry holds {@code layer}'s blob in the repository; returns the blob. */
    LayerBlob push(Image.Layer layer) throws IOException {
        String id = layer.diffId().shortHex();
        LayerBlob done = pushed.get(layer.diffId());
        if (done != null) {
            update(id, "Layer already exists");
            return done;
        }
        LayerBlob blob = compressor.blobFor(layer, lease);
        for (int attempt = 1; ; attempt++) {
            try {
                update(id, send(id, blob));
                break;
            } catch (IOException | UncheckedIOException | BerthException.Unavailable e) {
                if (!retry.allows(attempt)) throw e;
                retry.countdown(attempt, id, progress);
            }
        }
        origins.add(blob.digest(), host, path);
        pushed.put(layer.diffId(), blob);
        return blob;
    }

    /** One attempt; returns the status that ends it. */
    private String send(String id, LayerBlob blob) throws IOException {
        List<String> known = origins.repositories(blob.digest(), host);
        boolean checked = known.contains(path);
        if (checked && session.exists(blob.digest())) return "Layer already exists";
        int mounts = 0;
        for (String from : known) {
            if (from.equals(path)) continue;
            if (mounts++ == MOUNT_CANDIDATES) break;
            if (mounted(blob, from)) return "Mounted from " + from;
        }
        if (!checked && session.exists(blob.digest())) return "Layer already exists";
        session.upload(new Descriptor(MediaTypes.OCI_LAYER_GZIP, blob.digest(), blob.size()),
                () -> new TransferProgress(content.open(blob.digest()),
                        new ProgressMeter(progress, id, "Pushing", blob.size(), 0, System::nanoTime)));
        return "Pushed";
    }

    /** A failed mount is only a missed shortcut, as in moby: the blob is then checked and uploaded. */
    private boolean mounted(LayerBlob blob, String from) {
        try {
            return session.mount(blob.digest(), from);
        } catch (IOException | BerthException e) {
            LOG.debug("cannot mount {} from {} into {}: {}", blob.digest(), from, path, e.getMessage());
            return false;
        }
    }

    private void update(String id, String status) { progress.send(JsonMessage.update(id, status)); }
}
