package io.berth.engine.distribution;

import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.engine.events.EventBus;
import io.berth.engine.image.Image;
import io.berth.engine.image.ImageRegistrar;
import io.berth.engine.image.ImageStore;
import io.berth.engine.image.Lease;
import io.berth.engine.image.StagedLayer;
import io.berth.engine.service.DistributionService.PullRequest;
import io.berth.engine.service.ProgressSink;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.Index;
import io.berth.oci.Manifest;
import io.berth.oci.MediaTypes;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code docker pull} as dockerd's {@code distribution/pull_v2.go}: resolves the tag or digest to a manifest (an index
 * or manifest list picks the platform's entry), fetches and verifies the config, downloads the missing layers in
 * parallel through {@link LayerDownloads} (unpacked as they stream in), makes their snapshots in layer order, and only
 * then registers the image with its RepoDigest and tag. Until that last step everything is held by a {@link Lease}; a
 * failure collects it, so nothing half-pulled ever becomes visible. Progress messages are dockerd's.
 */
public final class ImagePuller {
    private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);

    private final RegistryClient registries;
    private final ImageStore store;
    private final ImageRegistrar registrar;
    private final EventBus events;
    private final BlobOrigins origins;
    private final LayerDownloads downloads;

    public ImagePuller(RegistryClient registries, ImageStore store, ImageRegistrar registrar, EventBus events,
                       BlobOrigins origins, RegistryOptions options) {
        this(registries, store, registrar, events, origins,
                new LayerDownloads(registrar.stager(), options.maxConcurrentDownloads(), RetryPolicy.DOCKER, System::nanoTime));
    }

    ImagePuller(RegistryClient registries, ImageStore store, ImageRegistrar registrar, EventBus events,
                BlobOrigins origins, LayerDownloads downloads) {
        this.registries = registries;
        this.store = store;
        this.registrar = registrar;
        this.events = events;
        this.origins = origins;
        this.downloads = downloads;
    }

    /** Pulls what {@code request} names; see {@link io.berth.engine.service.DistributionService#pull}. */
    public void pull(PullRequest request, ProgressSink progress) {
        Object lock = new Object();
        ProgressSink out = m -> {
            synchronized (lock) {
                progress.send(m);
            }
        };
        Reference ref = target(request);
        PlatformMatcher platform = PlatformMatcher.only(request.platform() == null ? null : Platform.parse(request.platform()));
        Reference repository = new Reference(ref.domain(), ref.path(), null, null);
        try {
            RepositorySession session = registries.open(repository, request.auth() == null ? AuthConfig.NONE : request.auth(), false);
            boolean updated = false;
            Digest pulled;
            if (request.allTags()) {
                pulled = null;
                for (String tag : session.tags()) {
                    Reference tagged = new Reference(ref.domain(), ref.path(), tag, null);
                    Pulled p = pullOne(session, tagged, platform, out);
                    updated |= p.updated();
                    if (pulled == null || Reference.DEFAULT_TAG.equals(tag)) pulled = p.image();
                }
            } else {
                Pulled p = pullOne(session, ref, platform, out);
                updated = p.updated();
                pulled = p.image();
            }
            String name = request.allTags() ? ref.familiarName() : ref.familiarString();
            out.send(JsonMessage.status(null, "Status: " + (updated ? "Downloaded newer image for " : "Image is up to date for ") + name));
            if (request.platform() != null && pulled != null) warnOnPlatformMismatch(ref, pulled, platform, out);
            Map<String, String> attributes = new HashMap<>();
            if (pulled != null) {
                store.get(pulled).map(img -> img.config().containerConfig().labels()).ifPresent(l -> { if (l != null) attributes.putAll(l); });
            }
            attributes.put("name", ref.familiarName());
            events.publish("image", "pull", name, attributes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (BerthException.Unauthorized e) {
            // moby's translatePullError: a registry that denies access may just not have the repository
            throw new BerthException.NotFound("pull access denied for " + ref.familiarName()
                    + ", repository does not exist or may require 'docker login': " + e.getMessage());
        }
    }

    /** moby's PullImage: a single-arch image of another platform is kept, with a warning (the config's platform). */
    private void warnOnPlatformMismatch(Reference ref, Digest id, PlatformMatcher platform, ProgressSink out) {
        store.get(id).ifPresent(img -> {
            Platform actual = new Platform(img.config().os(), img.config().architecture(), img.config().variant());
            if (!platform.matches(actual)) {
                out.send(JsonMessage.status(null, "WARNING: image with reference " + ref.familiarName()
                        + " was found but does not match the specified platform: wanted " + platform.describe()
                        + ", actual: " + actual.format()));
            }
        });
    }

    /** The reference to pull: {@code name}, with the {@code tag} parameter (a tag or a digest) when given. */
    private static Reference target(PullRequest request) {
        Reference ref = Reference.parse(request.name());
        String tag = request.tag();
        if (tag != null && !tag.isEmpty()) {
            if (Digest.isDigest(tag)) return new Reference(ref.domain(), ref.path(), null, tag);
            if (ref.digest() != null) throw new BerthException.InvalidArgument("invalid reference format");
            return Reference.of(new Reference(ref.domain(), ref.path(), null, null).toString(), tag);
        }
        if (request.allTags()) return new Reference(ref.domain(), ref.path(), null, null);
        return ref.withDefaultTag();
    }

    private record Pulled(Digest image, boolean updated) {}

    /** {@code pullTag}: one tag or digest; whether it changed what the name points at. */
    private Pulled pullOne(RepositorySession session, Reference ref, PlatformMatcher platform, ProgressSink out) throws IOException {
        String tagOrDigest = ref.digest() != null ? ref.digest() : ref.tag();
        FetchedManifest top = manifest(session, ref, tagOrDigest, ref.digest() == null ? null : Digest.parse(ref.digest()), -1);
        out.send(JsonMessage.status(tagOrDigest, "Pulling from " + ref.path()));
        FetchedManifest chosen = top;
        if (MediaTypes.isIndex(top.mediaType())) {
            Index index = parse(top, Index.class);
            Descriptor entry = platform.select(index.manifests() == null ? List.of() : index.manifests()).orElseThrow(() ->
                    new BerthException.NotFound("no matching manifest for " + platform.describe() + " in the manifest list entries"));
            chosen = manifest(session, ref, entry.digest(), entry.digestValue(), entry.size());
        }
        if (!MediaTypes.isManifest(chosen.mediaType())) {
            throw new BerthException.InvalidArgument("unsupported manifest media type " + chosen.mediaType() + " for "
                    + ref.familiarString());
        }
        Digest id = pullImage(session, chosen, parse(chosen, Manifest.class), out);
        out.send(JsonMessage.status(null, "Digest: " + top.digest()));
        return new Pulled(id, name(ref, id, top.digest()));
    }

    /** Fetches a manifest and verifies it: against {@code expected} and {@code size} when known. */
    private static FetchedManifest manifest(RepositorySession session, Reference ref, String tagOrDigest, Digest expected,
                                            long size) throws IOException {
        FetchedManifest m = session.manifest(tagOrDigest).orElseThrow(() -> new BerthException.NotFound("manifest for "
                + ref.familiarString() + " not found: manifest unknown: manifest unknown"));
        Digest actual = Digest.of(m.body());
        if (!actual.equals(m.digest()) || (expected != null && !expected.equals(actual)) || (size >= 0 && size != m.body().length)) {
            throw new BerthException.InvalidArgument("manifest verification failed for digest " + (expected != null ? expected : m.digest()));
        }
        return m;
    }

    private static <T> T parse(FetchedManifest m, Class<T> type) {
        try {
            return Json.plain().readValue(m.body(), type);
        } catch (IOException e) {
            throw new BerthException.InvalidArgument("invalid manifest " + m.digest() + ": " + e.getMessage());
        }
    }

    /** Fetches what the image needs and registers it (nothing when it is here already); returns its ID. */
    private Digest pullImage(RepositorySession session, FetchedManifest fetched, Manifest manifest, ProgressSink out)
            throws IOException {
        if (manifest.config() == null) throw new BerthException.InvalidArgument("invalid manifest " + fetched.digest() + ": no config");
        Digest configDigest = manifest.config().digestValue();
        if (store.get(configDigest).isPresent()) return configDigest;
        byte[] configBytes = ConfigBlob.fetch(session, manifest.config());
        ImageConfig config;
        try {
            config = Json.plain().readValue(configBytes, ImageConfig.class);
        } catch (IOException e) {
            throw new BerthException.InvalidArgument("invalid image config " + configDigest + ": " + e.getMessage());
        }
        List<Descriptor> layers = manifest.layers() == null ? List.of() : manifest.layers();
        if (config.rootfs() == null || !"layers".equals(config.rootfs().type())) {
            throw new BerthException.InvalidArgument("invalid rootfs in image configuration");
        }
        List<Digest> diffIds = config.diffIds();
        if (diffIds.size() != layers.size()) throw rootFsMismatch();
        List<Digest> chains = Digest.chainIds(diffIds);
        boolean ok = false;
        List<LayerDownloads.Ticket> tickets = new ArrayList<>();
        try (Lease lease = store.lease()) {
            lease.hold(configDigest);
            lease.hold(fetched.digest());
            chains.forEach(lease::hold);
            layers.forEach(l -> lease.hold(l.digestValue()));
            store.content().put(configBytes);
            store.content().put(fetched.body());
            try {
                LayerDownloads.Ticket[] byLayer = start(session, layers, chains, out, tickets);
                for (int i = 0; i < layers.size(); i++) {
                    if (byLayer[i] == null) continue;
                    Descriptor layer = layers.get(i);
                    StagedLayer staged = byLayer[i].await();
                    if (!staged.diffId().equals(diffIds.get(i))) throw rootFsMismatch();
                    StagedLayer mine = byLayer[i].claim();
                    try {
                        registrar.unpackLayer(layer, diffIds.get(i), chains.get(i), i == 0 ? null : chains.get(i - 1), mine);
                    } finally {
                        if (mine != null) mine.discard(); // what the snapshot did not adopt (at least the empty directory)
                    }
                    String id = layer.digestValue().shortHex();
                    out.send(JsonMessage.progressBar(id, "Extracting", layer.size(), layer.size()));
                    out.send(JsonMessage.update(id, "Pull complete"));
                    origins.add(layer.digestValue(), session.repository().domain(), session.repository().path());
                }
            } finally {
                tickets.forEach(LayerDownloads.Ticket::close);
            }
            registrar.register(lease, configDigest, fetched.digest(), layers, ProgressSink.DISCARD);
            ok = true;
        } finally {
            if (!ok) collect();
        }
        return configDigest;
    }

    /** Reports each layer ("Already exists" while the stack exists here, else "Pulling fs layer") and starts the downloads. */
    private LayerDownloads.Ticket[] start(RepositorySession session, List<Descriptor> layers, List<Digest> chains,
                                          ProgressSink out, List<LayerDownloads.Ticket> tickets) {
        LayerDownloads.Ticket[] byLayer = new LayerDownloads.Ticket[layers.size()];
        Map<Digest, LayerDownloads.Ticket> byBlob = new HashMap<>();
        boolean missing = false;
        for (int i = 0; i < layers.size(); i++) {
            Descriptor layer = layers.get(i);
            String id = layer.digestValue().shortHex();
            if (!missing && store.snapshots().get(chains.get(i)).isPresent()) {
                out.send(JsonMessage.update(id, "Already exists"));
                continue;
            }
            missing = true;
            LayerDownloads.Ticket ticket = byBlob.get(layer.digestValue());
            if (ticket == null) {
                out.send(JsonMessage.update(id, "Pulling fs layer"));
                ticket = downloads.join(session, layer, out);
                tickets.add(ticket);
                byBlob.put(layer.digestValue(), ticket);
            }
            byLayer[i] = ticket;
        }
        return byLayer;
    }

    private static BerthException rootFsMismatch() {
        return new BerthException.InvalidArgument("layers from manifest don't match image configuration");
    }

    /**
     * Points the name at the image as moby's {@code pullTag} does: a tag (with the manifest's digest as a RepoDigest)
     * or a digest reference; false when it already pointed there ("Image is up to date").
     */
    private boolean name(Reference ref, Digest id, Digest manifestDigest) throws IOException {
        Image img = store.get(id).orElseThrow(() -> new BerthException.NotFound("No such image: " + id));
        if (ref.digest() != null) {
            String canonical = ref.familiarName() + "@" + ref.digest();
            if (img.repoDigests().contains(canonical)) return false;
            registrar.addRepoDigest(id, canonical);
            return true;
        }
        registrar.addRepoDigest(id, ref.familiarName() + "@" + manifestDigest);
        Reference tagged = ref.withoutDigest();
        if (id.equals(store.refs().get(tagged))) return false;
        store.tag(tagged, id);
        return true;
    }

    private void collect() {
        try {
            store.collect();
        } catch (IOException | RuntimeException e) {
            LOG.warn("garbage collection after a failed pull: {}", e.toString());
        }
    }
}
