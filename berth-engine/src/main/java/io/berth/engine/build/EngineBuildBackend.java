package io.berth.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.api.container.HostConfig;
import io.berth.api.container.Ulimit;
import io.berth.api.errors.BerthException;
import io.berth.api.image.ContainerConfig;
import io.berth.api.registry.AuthConfig;
import io.berth.engine.archive.LayerDiff;
import io.berth.engine.archive.TarWriter;
import io.berth.engine.container.Container;
import io.berth.engine.container.ContainerLifecycle;
import io.berth.engine.container.ContainerRootfs;
import io.berth.engine.container.ContainerStore;
import io.berth.engine.container.LocalContainerService;
import io.berth.engine.image.Image;
import io.berth.engine.image.ImageCommitter;
import io.berth.engine.image.ImageStore;
import io.berth.engine.image.Lease;
import io.berth.engine.runtime.Attach;
import io.berth.engine.service.DistributionService;
import io.berth.engine.service.ImageService;
import io.berth.engine.service.StdStream;
import io.berth.engine.sys.Sys;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The engine behind {@link BuildBackend}: base images from the image store (pulled through the distribution service
 * when missing or asked), the layer cache over the images built here and their stored {@code container_config}, RUN
 * steps as real containers (the same runtime, namespaces and cgroups as {@code docker run}) hidden from the list views,
 * commits through {@link ImageCommitter} with the parent recorded.
 */
public final class EngineBuildBackend implements BuildBackend {
    private static final Set<String> DOCKER_HUB_KEYS = Set.of("https://index.docker.io/v1/", "index.docker.io", "docker.io",
            "registry-1.docker.io", "https://registry-1.docker.io");

    private final ImageStore images;
    private final ImageService imageService;
    private final ImageCommitter committer;
    private final ContainerStore containers;
    private final LocalContainerService containerService;
    private final ContainerLifecycle lifecycle;
    private final ContainerRootfs rootfs;
    private final DistributionService distribution;
    private final Sys sys;
    private final Map<Digest, ContainerConfig> storedProbes = new ConcurrentHashMap<>();
    private final Map<String, List<String>> mountTargets = new ConcurrentHashMap<>();

    public EngineBuildBackend(ImageStore images, ImageService imageService, ImageCommitter committer, ContainerStore containers,
                              LocalContainerService containerService, ContainerLifecycle lifecycle, ContainerRootfs rootfs,
                              DistributionService distribution, Sys sys) {
        this.images = images;
        this.imageService = imageService;
        this.committer = committer;
        this.containers = containers;
        this.containerService = containerService;
        this.lifecycle = lifecycle;
        this.rootfs = rootfs;
        this.distribution = distribution;
        this.sys = sys;
    }

    /** Removes the build containers a daemon that stopped mid-build left behind (run once at start). */
    public void removeLeftovers() {
        for (Container c : containers.all()) if (c.buildStep()) removeContainer(c.id());
    }

    @Override public BaseImage image(String ref, Pull pull) {
        Image img = images.find(ref).orElse(null);
        boolean isId = ref.startsWith("sha256:") || (img != null && img.id().hex().startsWith(ref));
        if (!isId && (img == null || pull.always())) {
            Reference r = Reference.parse(ref);
            distribution.pull(new DistributionService.PullRequest(r.familiarName(), r.digest() != null ? r.digest()
                    : r.tag() == null ? Reference.DEFAULT_TAG : r.tag(), false, pull.platform(), auth(r, pull.auth())), pull.progress());
            img = images.require(ref);
        }
        if (img == null) img = images.require(ref);
        return new BaseImage(img.id().toString(), img.config().containerConfig(), img.config().os(), img.config().architecture());
    }

    /** The X-Registry-Config entry for the reference's registry (Docker Hub under any of its names). */
    private static AuthConfig auth(Reference r, Map<String, AuthConfig> all) {
        if (all == null || all.isEmpty()) return AuthConfig.NONE;
        for (Map.Entry<String, AuthConfig> e : all.entrySet()) {
            String key = e.getKey().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
            if (key.equals(r.domain())) return e.getValue();
            if (r.domain().equals(Reference.DEFAULT_DOMAIN) && DOCKER_HUB_KEYS.contains(e.getKey())) return e.getValue();
            if (r.domain().equals(Reference.DEFAULT_DOMAIN) && DOCKER_HUB_KEYS.contains(key)) return e.getValue();
        }
        return AuthConfig.NONE;
    }

    @Override public String probe(String parentId, ContainerConfig probe, List<String> cacheFrom) {
        List<Image> hits = new ArrayList<>();
        for (Image child : images.children(parentId)) {
            if (CacheCompare.matches(storedProbe(child), probe)) hits.add(child);
        }
        hits.sort(Comparator.comparing((Image i) -> i.config().createdInstant()).reversed());
        if (cacheFrom == null || cacheFrom.isEmpty()) return hits.isEmpty() ? null : hits.getFirst().id().toString();
        Set<String> allowed = new HashSet<>();
        List<Image> sources = new ArrayList<>();
        for (String ref : cacheFrom) {
            images.find(ref).ifPresent(sources::add);
            for (Image i = images.find(ref).orElse(null); i != null; i = parentOf(i)) allowed.add(i.id().toString());
        }
        String local = hits.stream().map(i -> i.id().toString()).filter(allowed::contains).findFirst().orElse(null);
        return local != null ? local : fromHistory(parentId, probe, sources);
    }

    /**
     * A step matched against the cache-from images' histories ({@link CacheFromHistory}): the image itself at its last
     * step, before that a cache image of the parent's layers plus the matched entry's layer, config the probe.
     */
    private String fromHistory(String parentId, ContainerConfig probe, List<Image> sources) {
        try {
            Image parent = parentId == null || parentId.isEmpty() ? null : images.get(Digest.parse(parentId)).orElse(null);
            List<CacheFromHistory.Candidate> candidates = new ArrayList<>();
            for (Image s : sources) candidates.add(candidate(s));
            CacheFromHistory.Match match = CacheFromHistory.match(parent == null ? null : candidate(parent), candidates, probe.cmd());
            return switch (match) {
                case null -> null;
                case CacheFromHistory.Whole w -> {
                    if (parent != null) images.setParent(Digest.parse(w.target().id()), parent.id().toString());
                    yield w.target().id();
                }
                case CacheFromHistory.Step s -> restore(parent, images.get(Digest.parse(s.target().id())).orElseThrow(), s, probe);
            };
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot use the cache-from images: " + e.getMessage(), e);
        }
    }

    private CacheFromHistory.Candidate candidate(Image img) throws IOException {
        JsonNode config = Json.plain().readTree(images.content().read(img.id()));
        List<JsonNode> history = new ArrayList<>();
        config.path("history").forEach(history::add);
        return new CacheFromHistory.Candidate(img.id().toString(), history,
                img.layers().stream().map(l -> l.diffId().toString()).toList());
    }

    /** moby's {@code restoreCachedImage}. */
    private String restore(Image parent, Image target, CacheFromHistory.Step step, ContainerConfig probe) throws IOException {
        JsonNode targetConfig = Json.plain().readTree(images.content().read(target.id()));
        com.fasterxml.jackson.databind.node.ObjectNode img = Json.plain().createObjectNode();
        img.set("architecture", targetConfig.get("architecture"));
        if (targetConfig.hasNonNull("author")) img.set("author", targetConfig.get("author"));
        img.set("config", Json.wire().valueToTree(probe));
        img.set("created", step.entry().get("created"));
        var history = img.putArray("history");
        List<Descriptor> layers = new ArrayList<>();
        var diffIds = Json.plain().createArrayNode();
        if (parent != null) {
            Json.plain().readTree(images.content().read(parent.id())).path("history").forEach(history::add);
            for (Image.Layer l : parent.layers()) {
                layers.add(l.blob());
                diffIds.add(l.diffId().toString());
            }
        }
        history.add(step.entry());
        if (step.diffId() != null) {
            Image.Layer layer = target.layers().stream().filter(l -> l.diffId().toString().equals(step.diffId())).findFirst()
                    .orElseThrow();
            layers.add(layer.blob());
            diffIds.add(step.diffId());
        }
        img.set("os", targetConfig.get("os"));
        for (String f : List.of("os.version", "os.features")) if (targetConfig.hasNonNull(f)) img.set(f, targetConfig.get(f));
        var rootfs = img.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.set("diff_ids", diffIds);
        return committer.register(Json.plain().writeValueAsBytes(img), layers, parent == null ? "" : parent.id().toString())
                .id().toString();
    }

    private Image parentOf(Image i) {
        return i.parent() == null || i.parent().isEmpty() ? null : images.get(Digest.parse(i.parent())).orElse(null);
    }

    /** An image's {@code container_config} (the probe it was committed with); read once. */
    private ContainerConfig storedProbe(Image img) {
        return storedProbes.computeIfAbsent(img.id(), id -> {
            try {
                JsonNode cc = Json.plain().readTree(images.content().read(id)).get("container_config");
                return cc == null || cc.isNull() ? null : Json.wire().convertValue(cc, ContainerConfig.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the config of " + id, e);
            }
        });
    }

    @Override public String createContainer(String imageId, ContainerConfig config, RunHost host) {
        HostConfig.Builder h = new HostConfig.Builder();
        h.networkMode = host.networkMode();
        h.extraHosts = host.extraHosts() == null || host.extraHosts().isEmpty() ? null : host.extraHosts();
        var r = host.resources() == null ? io.berth.engine.service.BuildService.Resources.NONE : host.resources();
        if (r.memory() > 0) h.memory = r.memory();
        if (r.memorySwap() != 0) h.memorySwap = r.memorySwap();
        if (r.cpuShares() > 0) h.cpuShares = r.cpuShares();
        if (r.cpuPeriod() > 0) h.cpuPeriod = r.cpuPeriod();
        if (r.cpuQuota() > 0) h.cpuQuota = r.cpuQuota();
        if (r.cpusetCpus() != null && !r.cpusetCpus().isEmpty()) h.cpusetCpus = r.cpusetCpus();
        if (r.cpusetMems() != null && !r.cpusetMems().isEmpty()) h.cpusetMems = r.cpusetMems();
        if (r.shmSize() > 0) h.shmSize = r.shmSize();
        if (r.cgroupParent() != null && !r.cgroupParent().isEmpty()) h.cgroupParent = r.cgroupParent();
        if (r.ulimits() != null && !r.ulimits().isEmpty()) {
            h.ulimits = r.ulimits().stream().map(u -> new Ulimit(u.name(), u.soft(), u.hard())).toList();
        }
        List<String> binds = new ArrayList<>();
        Map<String, String> tmpfs = new LinkedHashMap<>();
        for (Mount m : host.mounts()) {
            switch (m.type()) {
                case "bind" -> binds.add(m.source() + ":" + m.target() + (m.readOnly() ? ":ro" : ""));
                case "tmpfs" -> tmpfs.put(m.target(), String.join(",", m.options()));
                default -> throw new BerthException.NotImplemented("mount type " + m.type());
            }
        }
        if (!binds.isEmpty()) h.binds = binds;
        if (!tmpfs.isEmpty()) h.tmpfs = tmpfs;
        String id = containerService.createBuildStep(imageId, config, h.build());
        if (!host.mounts().isEmpty()) mountTargets.put(id, host.mounts().stream().map(Mount::target).toList());
        return id;
    }

    @Override public int run(String containerId, Output output) throws InterruptedException {
        CompletableFuture<Attach> attached = lifecycle.attach(containerId);
        CompletableFuture<Integer> exit = lifecycle.await(containerId, "next-exit").thenApply(w -> (int) w.statusCode());
        lifecycle.start(containerId);
        try {
            Attach attach = attached.get();
            // conmon's socket is read in a native call: a platform thread, so no virtual thread's carrier is pinned
            Thread reader = Thread.ofPlatform().name("build-output-" + containerId.substring(0, 12)).start(() -> pump(attach, output));
            reader.join();
            return exit.get();
        } catch (ExecutionException e) {
            throw new BerthException.SystemError("cannot run the build step: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void pump(Attach attach, Output output) {
        try (attach) {
            for (Attach.Frame f = attach.read(); f != null; f = attach.read()) {
                if (f.stream() == StdStream.STDERR) output.stderr(f.data());
                else output.stdout(f.data());
            }
        } catch (IOException e) {
            // the connection ended with the container: its output is complete
        }
    }

    @Override public void kill(String containerId) { lifecycle.kill(containerId, 9); }

    @Override public String commitChange(Commit commit, RootfsChange change) throws IOException {
        List<Path> lowers = new ArrayList<>();
        try (Lease lease = images.lease()) {
            if (commit.parentId() != null) {
                List<Image.Layer> layers = images.require(commit.parentId()).layers();
                for (Image.Layer l : layers.reversed()) {
                    lease.hold(l.chainId()); // the parent's layers stay while they are mounted, whatever is removed meanwhile
                    lowers.add(images.snapshots().get(l.chainId())
                            .orElseThrow(() -> new BerthException.NotFound("a layer of image " + commit.parentId() + " is missing")).fs());
                }
            }
            Path mountPoint = rootfs.bundle("build-step-" + java.util.UUID.randomUUID());
            try (StepRoot root = new StepRoot(sys, images.snapshots().stagingDir(), mountPoint, lowers)) {
                root.apply(change);
                Path upper = root.upper();
                return write(null, commit, new ImageCommitter.StepLayer(out -> LayerDiff.write(upper, new TarWriter(out), sys), upper));
            }
        }
    }

    @Override public ImageRoot mountImage(String imageId) {
        ContainerConfig cfg = new ContainerConfig("", "", "", false, false, false, null, false, false, false, List.of(),
                List.of("true"), null, null, "", null, "", null, null, null, null, null, null, null, null);
        String id = containerService.createBuildStep(imageId, cfg, new HostConfig.Builder().build());
        Path root;
        try {
            root = rootfs.mount(id, containers.require(id).layerChainIds(), true);
        } catch (IOException | RuntimeException e) {
            removeContainer(id);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        return new ImageRoot() {
            @Override public Path root() { return root; }

            @Override public void close() {
                rootfs.release(id);
                removeContainer(id);
            }
        };
    }

    @Override public String commit(String containerId, Commit commit, boolean removeAfter) {
        Path upper = rootfs.upper(containerId);
        return lifecycle.locked(containerId, () -> {
            dropMountpoints(containerId, upper);
            return write(containerId, commit, new ImageCommitter.StepLayer(out -> LayerDiff.write(upper, new TarWriter(out), sys),
                    removeAfter ? upper : null));
        });
    }

    /**
     * The runtime creates the mount points of RUN --mount targets (and their parents) in the container's writable
     * layer; those the image did not have are removed before the commit, so no trace of a cache, secret, bind or tmpfs
     * mount reaches the image.
     */
    private void dropMountpoints(String containerId, Path upper) {
        List<String> targets = mountTargets.remove(containerId);
        if (targets == null) return;
        List<Path> lowers = new ArrayList<>();
        for (String chain : containers.require(containerId).layerChainIds()) {
            images.snapshots().get(Digest.parse(chain)).ifPresent(snap -> lowers.add(snap.fs()));
        }
        for (String target : targets) {
            for (Path rel = Path.of(target.replaceFirst("^/+", "")).normalize(); rel != null && !rel.toString().isEmpty();
                 rel = rel.getParent()) {
                Path inUpper = upper.resolve(rel.toString());
                Path r = rel;
                if (lowers.stream().anyMatch(l -> java.nio.file.Files.exists(l.resolve(r.toString()), java.nio.file.LinkOption.NOFOLLOW_LINKS))) break;
                try {
                    if (java.nio.file.Files.isDirectory(inUpper, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        try (var children = java.nio.file.Files.list(inUpper)) {
                            if (children.findAny().isPresent()) break;
                        }
                    } else if (java.nio.file.Files.isRegularFile(inUpper, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            && java.nio.file.Files.size(inUpper) > 0) {
                        break;
                    }
                    java.nio.file.Files.deleteIfExists(inUpper);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot drop the mount point " + inUpper, e);
                }
            }
        }
    }

    @Override public String commitMetadata(Commit commit) { return write(null, commit, null); }

    private String write(String containerId, Commit c, ImageCommitter.StepLayer layer) {
        try {
            Image img = committer.commit(new ImageCommitter.BuildStep(c.parentId(), containerId, c.config(), c.containerConfig(),
                    c.author(), null, c.createdBy()), layer);
            storedProbes.put(img.id(), c.containerConfig());
            return img.id().toString();
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot commit the build step: " + e.getMessage(), e);
        }
    }

    @Override public String tag(String imageId, String ref) {
        Reference r = Reference.parse(ref).withDefaultTag();
        imageService.tag(imageId, r.familiarName(), r.tag());
        return r.familiarString();
    }

    @Override public List<CachedImage> buildOnlyImages() {
        List<Image> all = images.all();
        Map<String, List<Image>> children = new java.util.HashMap<>();
        for (Image i : all) {
            if (i.parent() != null && !i.parent().isEmpty()) children.computeIfAbsent(i.parent(), k -> new ArrayList<>()).add(i);
        }
        Set<String> buildOnly = new java.util.LinkedHashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Image i : all) {
                String id = i.id().toString();
                if (buildOnly.contains(id) || !i.builtLocally() || !images.refsOf(i.id()).isEmpty()
                        || !containers.usersOf(id).isEmpty()) {
                    continue;
                }
                if (children.getOrDefault(id, List.of()).stream().allMatch(c -> buildOnly.contains(c.id().toString()))) {
                    buildOnly.add(id);
                    grew = true;
                }
            }
        }
        List<CachedImage> out = new ArrayList<>();
        for (String id : buildOnly) {
            Image i = images.get(Digest.parse(id)).orElseThrow();
            Image parent = parentOf(i);
            boolean ownLayer = i.layers().size() > (parent == null ? 0 : parent.layers().size());
            out.add(new CachedImage(id, i.parent().isEmpty() ? null : i.parent(),
                    ownLayer ? Math.max(0, i.layers().getLast().blob().size()) : 0, i.config().createdInstant()));
        }
        return out;
    }

    @Override public void removeImage(String imageId) {
        storedProbes.remove(Digest.parse(imageId));
        imageService.remove(imageId, false, true);
    }

    @Override public void removeContainer(String containerId) {
        mountTargets.remove(containerId);
        if (containers.get(containerId).isPresent()) lifecycle.remove(containerId, true, true);
    }
}
