package io.berth.engine.distribution;

import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.engine.image.Image;
import io.berth.engine.image.ImageRegistrar;
import io.berth.engine.image.ImageStore;
import io.berth.engine.image.Lease;
import io.berth.engine.service.DistributionService.PushRequest;
import io.berth.engine.service.ProgressSink;
import io.berth.oci.Digest;
import io.berth.oci.Reference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code docker push} (moby's {@code distribution.Push}): pushes one tag of a local repository, or every tag when none
 * is given, through a {@link RepositorySession}. What can fail before anything is streamed does: a name with a digest
 * (400), an image that is not local (404, Docker's "An image does not exist locally with the tag: …" or "tag does not
 * exist: …"), credentials refused or missing (401, checked by {@link RepositoryPush#checkAccess}), so the docker CLI
 * can ask for credentials and retry. Then "The push refers to repository [name]" and each tag. The daemon's uploads
 * share {@code max-concurrent-uploads} slots; the blobs pushed are recorded in {@link BlobOrigins} so a later push
 * to another repository of the registry mounts them, and each pushed manifest becomes a RepoDigest of its image (moby's {@code addDigestReference}).
 */
public final class ImagePusher {
    private final ImageStore images;
    private final ImageRegistrar registrar;
    private final RegistryClient registries;
    private final BlobOrigins origins;
    private final LayerCompressor compressor;
    private final Semaphore slots;
    private final RetryPolicy retry;

    public ImagePusher(ImageStore images, ImageRegistrar registrar, RegistryClient registries, BlobOrigins origins,
                       CompressedLayers compressed, int maxConcurrentUploads) {
        this(images, registrar, registries, origins, compressed, maxConcurrentUploads, LayerPush.RETRIES);
    }

    ImagePusher(ImageStore images, ImageRegistrar registrar, RegistryClient registries, BlobOrigins origins,
                CompressedLayers compressed, int maxConcurrentUploads, RetryPolicy retry) {
        this.images = images;
        this.registrar = registrar;
        this.registries = registries;
        this.origins = origins;
        this.compressor = new LayerCompressor(images.content(), compressed);
        this.slots = new Semaphore(Math.max(1, maxConcurrentUploads), true);
        this.retry = retry;
    }

    /** A local tag to push and its image. */
    private record Target(String tag, Image image) {}

    public void push(PushRequest request, ProgressSink progress) {
        Reference ref = request.tag() == null ? Reference.parse(request.name()) : Reference.of(request.name(), request.tag());
        if (ref.digest() != null) throw new BerthException.InvalidArgument("cannot push a digest reference");
        Reference repository = new Reference(ref.domain(), ref.path(), null, null);
        List<Target> targets = targets(repository, ref.tag());
        AuthConfig auth = request.auth() == null ? AuthConfig.NONE : request.auth();
        try (Lease lease = images.lease()) {
            for (Target t : targets) hold(lease, t.image());
            RepositorySession session = registries.open(repository, auth, true);
            LayerPush layers = new LayerPush(session, images.content(), compressor, origins, retry, lease, progress);
            RepositoryPush push = new RepositoryPush(session, images.content(), layers, slots, progress);
            push.checkAccess(targets.getFirst().image());
            progress.send(JsonMessage.status(null, "The push refers to repository [" + repository.name() + "]"));
            for (Target t : targets) {
                PushManifest manifest = push.pushTag(t.tag(), t.image());
                registrar.addRepoDigest(t.image().id(), repository.familiarName() + "@" + manifest.digest());
            }
        } catch (IOException e) {
            throw new BerthException.Unavailable(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException.Unavailable("push of " + repository.familiarName() + " interrupted", e);
        }
    }

    /** The tags to push, sorted as moby's reference store lists them; NotFound with Docker's messages. */
    private List<Target> targets(Reference repository, String tag) {
        List<Target> out = new ArrayList<>();
        for (Map.Entry<Reference, Digest> e : images.refs().entrySet()) {
            Reference r = e.getKey();
            if (r.tag() == null || !r.domain().equals(repository.domain()) || !r.path().equals(repository.path())) continue;
            if (tag != null && !tag.equals(r.tag())) continue;
            images.get(e.getValue()).ifPresent(img -> out.add(new Target(r.tag(), img)));
        }
        if (out.isEmpty()) {
            boolean anyTag = images.refs().keySet().stream()
                    .anyMatch(r -> r.domain().equals(repository.domain()) && r.path().equals(repository.path()));
            throw new BerthException.NotFound(tag != null && anyTag
                    ? "tag does not exist: " + new Reference(repository.domain(), repository.path(), tag, null).familiarString()
                    : "An image does not exist locally with the tag: " + repository.familiarName());
        }
        out.sort(Comparator.comparing(Target::tag));
        return out;
    }

    private static void hold(Lease lease, Image image) {
        lease.hold(image.id());
        lease.hold(image.manifestDigest());
        for (Image.Layer l : image.layers()) lease.hold(l.blob().digestValue());
    }
}
