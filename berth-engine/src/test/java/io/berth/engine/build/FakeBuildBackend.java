package io.berth.engine.build;

import io.berth.api.errors.BerthException;
import io.berth.api.image.ContainerConfig;
import io.berth.oci.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An in-memory {@link BuildBackend}: images with their parent, config, stored container config and history; RUN
 * commands answered by a script; containers counted so a test sees none is left.
 */
final class FakeBuildBackend implements BuildBackend {
    /** What a scripted RUN prints and exits with. */
    record Result(String stdout, String stderr, int code) {}

    /** A fake image: {@code builtLocally} false for base images. */
    record FakeImage(String id, String parent, ContainerConfig config, ContainerConfig containerConfig, String createdBy,
                     String author, boolean emptyLayer, long seq, boolean builtLocally) {}

    final Map<String, FakeImage> images = new ConcurrentHashMap<>();
    final Map<String, String> refs = new ConcurrentHashMap<>();
    final Map<String, ContainerConfig> containers = new ConcurrentHashMap<>();
    final Map<String, RunHost> hosts = new ConcurrentHashMap<>();
    final List<List<String>> ran = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> removed = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> tags = new LinkedHashMap<>();
    final Path scratch;
    private final AtomicLong seq = new AtomicLong();
    volatile Function<List<String>, Result> script = cmd -> new Result("", "", 0);

    FakeBuildBackend(Path scratch) { this.scratch = scratch; }

    /** A base image (as if pulled) named {@code ref}. */
    String addBase(String ref, ContainerConfig config) {
        String id = "sha256:" + sha(ref + seq.incrementAndGet());
        images.put(id, new FakeImage(id, null, config, null, "", null, false, seq.get(), false));
        refs.put(Reference.parse(ref).withDefaultTag().toString(), id);
        return id;
    }

    List<FakeImage> history(String id) {
        List<FakeImage> out = new ArrayList<>();
        for (FakeImage i = images.get(id); i != null; i = i.parent() == null ? null : images.get(i.parent())) out.addFirst(i);
        return out;
    }

    @Override public BaseImage image(String ref, Pull pull) {
        String id = images.containsKey(ref) ? ref : refs.get(Reference.parse(ref).withDefaultTag().toString());
        if (id == null) {
            throw new BerthException.NotFound("pull access denied for " + ref + ", repository does not exist or may require 'docker login'");
        }
        return new BaseImage(id, images.get(id).config(), "linux", "amd64");
    }

    @Override public String probe(String parentId, ContainerConfig probe, List<String> cacheFrom) {
        return images.values().stream()
                .filter(i -> i.builtLocally() && java.util.Objects.equals(i.parent(), parentId)
                        && CacheCompare.matches(i.containerConfig(), probe))
                .max(java.util.Comparator.comparingLong(FakeImage::seq)).map(FakeImage::id).orElse(null);
    }

    @Override public String createContainer(String imageId, ContainerConfig config, RunHost host) {
        String id = sha("container" + seq.incrementAndGet());
        containers.put(id, config);
        hosts.put(id, host);
        return id;
    }

    @Override public int run(String containerId, Output output) {
        ContainerConfig c = containers.get(containerId);
        ran.add(c.cmd());
        Result r = script.apply(c.cmd());
        if (!r.stdout().isEmpty()) output.stdout(r.stdout().getBytes(StandardCharsets.UTF_8));
        if (!r.stderr().isEmpty()) output.stderr(r.stderr().getBytes(StandardCharsets.UTF_8));
        return r.code();
    }

    /** Counted down when a build container is killed (a scripted RUN may wait for it). */
    final java.util.concurrent.CountDownLatch killed = new java.util.concurrent.CountDownLatch(1);

    @Override public void kill(String containerId) { killed.countDown(); }

    @Override public String commitChange(Commit commit, RootfsChange change) throws IOException {
        change.apply(Files.createDirectories(scratch.resolve("step" + seq.incrementAndGet())));
        return put(commit, false);
    }

    @Override public ImageRoot mountImage(String imageId) {
        Path root = scratch.resolve("image-" + imageId.substring(7));
        return new ImageRoot() {
            @Override public Path root() { return root; }

            @Override public void close() {}
        };
    }

    @Override public String commit(String containerId, Commit commit, boolean removeAfter) { return put(commit, false); }

    @Override public String commitMetadata(Commit commit) { return put(commit, true); }

    private String put(Commit c, boolean empty) {
        String id = "sha256:" + sha(c.parentId() + c.createdBy() + seq.incrementAndGet());
        images.put(id, new FakeImage(id, c.parentId(), c.config(), c.containerConfig(), c.createdBy(), c.author(), empty,
                seq.get(), true));
        return id;
    }

    @Override public synchronized String tag(String imageId, String ref) {
        tags.put(ref, imageId);
        return Reference.parse(ref).familiarString();
    }

    @Override public void removeContainer(String containerId) {
        if (containers.remove(containerId) != null) removed.add(containerId);
    }

    @Override public List<CachedImage> buildOnlyImages() {
        List<CachedImage> out = new ArrayList<>();
        java.util.Set<String> needed = new java.util.HashSet<>(tags.values());
        boolean grew = true;
        while (grew) {
            grew = false;
            for (FakeImage i : images.values()) {
                if (needed.contains(i.id()) && i.parent() != null && needed.add(i.parent())) grew = true;
            }
        }
        for (FakeImage i : images.values().stream().sorted(java.util.Comparator.comparingLong(FakeImage::seq).reversed()).toList()) {
            if (i.builtLocally() && !needed.contains(i.id())) out.add(new CachedImage(i.id(), i.parent(), 1, null));
        }
        return out;
    }

    @Override public void removeImage(String imageId) { images.remove(imageId); }

    static String sha(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
