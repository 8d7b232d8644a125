package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.api.events.EventMessage;
import io.berth.api.image.ImageInspect;
import io.berth.engine.archive.LayerApplier;
import io.berth.engine.content.ContentStore;
import io.berth.engine.distribution.FakeRegistry.Built;
import io.berth.engine.distribution.FakeRegistry.Compress;
import io.berth.engine.events.EventBus;
import io.berth.engine.image.ImageRegistrar;
import io.berth.engine.image.ImageStore;
import io.berth.engine.image.ImageUsage;
import io.berth.engine.image.LocalImageService;
import io.berth.engine.service.DistributionService.PullRequest;
import io.berth.engine.snapshot.OverlaySnapshotter;
import io.berth.engine.sys.Sys;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from an in-memory registry into real stores in a temp data root. */
class ImagePullerTest {
    static final String REPO = "localhost:5000/app";

    @TempDir Path root;
    EventBus events;
    ImageStore store;
    ImageRegistrar registrar;
    LocalImageService images;
    FakeRegistry registry;
    ImagePuller puller;
    final List<String> origins = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void open() {
        open(3);
    }

    void open(int maxConcurrent) {
        events = new EventBus();
        ContentStore content = new ContentStore(root.resolve("content"));
        OverlaySnapshotter snaps = new OverlaySnapshotter(root.resolve("snapshots"));
        store = new ImageStore(root.resolve("images"), content, snaps, ImageUsage.NONE);
        registrar = new ImageRegistrar(store, new LayerApplier(Sys.linux()));
        images = new LocalImageService(store, registrar, events, ImageUsage.NONE);
        if (registry == null) registry = new FakeRegistry();
        BlobOrigins recorder = new BlobOrigins() {
            @Override public void add(Digest blob, String host, String repository) { origins.add(blob + " " + host + " " + repository); }
            @Override public List<String> repositories(Digest blob, String host) { return List.of(); }
        };
        puller = new ImagePuller(registry, store, registrar, events, recorder,
                new LayerDownloads(registrar.stager(), maxConcurrent, new RetryPolicy(5, Duration.ofMillis(1)), System::nanoTime));
    }

    static Map<String, byte[]> files(String... nameAndContent) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < nameAndContent.length; i += 2) out.put(nameAndContent[i], nameAndContent[i + 1].getBytes(StandardCharsets.UTF_8));
        return out;
    }

    List<JsonNode> pull(String name, String tag) { return pull(new PullRequest(name, tag, false, null, null)); }

    List<JsonNode> pull(PullRequest request) {
        List<JsonMessage> out = Collections.synchronizedList(new ArrayList<>());
        puller.pull(request, out::add);
        return parsed(out);
    }

    static List<JsonNode> parsed(List<JsonMessage> messages) {
        synchronized (messages) {
            return messages.stream().map(m -> {
                try {
                    return Json.wire().readTree(Json.wire().writeValueAsBytes(m));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    static JsonNode json(String text) throws Exception { return Json.wire().readTree(text); }

    static List<String> statuses(List<JsonNode> messages, String id) {
        return messages.stream().filter(m -> m.has("id") && m.get("id").asText().equals(id)).map(m -> m.get("status").asText()).toList();
    }

    static List<String> statuses(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("status").asText()).toList();
    }

    void assertNothingStored() throws Exception {
        assertThat(store.all()).isEmpty();
        assertThat(store.content().list()).isEmpty();
        assertThat(store.snapshots().list()).isEmpty();
        try (Stream<Path> s = Files.list(root.resolve("snapshots"))) {
            assertThat(s.toList()).isEmpty();
        }
        try (Stream<Path> s = Files.list(root.resolve("content").resolve("ingest"))) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void pullsByTagWithDockersExactMessages() throws Exception {
        Built b = registry.image("1", false, "amd64", null, Compress.GZIP, files("hello.txt", "hello"));
        Descriptor layer = b.layers().getFirst();
        String id = layer.digestValue().shortHex();
        long size = layer.size();
        String bar = io.berth.api.JsonProgress.render(size, size);

        List<JsonNode> msgs = pull(REPO, "1");

        String downloading = "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":" + size + ",\"total\":" + size
                + "},\"progress\":\"" + bar + "\",\"id\":\"" + id + "\"}";
        assertThat(msgs).containsExactly(
                json("{\"status\":\"Pulling from app\",\"id\":\"1\"}"),
                json("{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"" + id + "\"}"),
                json(downloading),
                json(downloading),
                json("{\"status\":\"Verifying Checksum\",\"progressDetail\":{},\"id\":\"" + id + "\"}"),
                json("{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"" + id + "\"}"),
                json(downloading.replace("Downloading", "Extracting")),
                json("{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"" + id + "\"}"),
                json("{\"status\":\"Digest: " + b.manifest().digest() + "\"}"),
                json("{\"status\":\"Status: Downloaded newer image for " + REPO + ":1\"}"));

        ImageInspect img = images.inspect(REPO + ":1");
        assertThat(img.id()).isEqualTo(b.config().digest());
        assertThat(img.repoTags()).containsExactly(REPO + ":1");
        assertThat(img.repoDigests()).containsExactly(REPO + "@" + b.manifest().digest());
        assertThat(images.inspect(REPO + "@" + b.manifest().digest()).id()).isEqualTo(img.id());
        assertThat(origins).containsExactly(layer.digest() + " localhost:5000 app");
        List<EventMessage> pulls = events.subscribe(e -> true, e -> true).drain().stream()
                .filter(e -> e.action().equals("pull")).toList();
        assertThat(pulls).hasSize(1);
        assertThat(pulls.getFirst().actor().id()).isEqualTo(REPO + ":1");
        assertThat(pulls.getFirst().actor().attributes()).containsEntry("name", REPO).containsEntry("made.by", "fake");
    }

    @Test
    void aRepeatPullIsUpToDateAndFetchesNoBlob() throws Exception {
        registry.image("1", false, "amd64", null, Compress.GZIP, files("a", "a", "b", "b"));
        pull(REPO, "1");
        int before = registry.blobRequests.size();
        List<JsonNode> again = pull(REPO, "1");
        assertThat(registry.blobRequests).hasSize(before);
        assertThat(statuses(again)).containsExactly("Pulling from app",
                "Digest: " + registry.manifests.get("1").digest(), "Status: Image is up to date for " + REPO + ":1");
    }

    @Test
    void layersWhoseSnapshotExistsAreNotFetched() throws Exception {
        Built base = registry.image("base", true, "amd64", null, Compress.GZIP, files("base", "shared"));
        pull(REPO, "base");
        Built app = registry.image("app", true, "amd64", null, List.of(base.layers().getFirst(),
                registry.blob(MediaTypes.OCI_LAYER_GZIP, FakeRegistry.compress(FakeRegistry.layerTar("app", "x".getBytes()), Compress.GZIP))),
                List.of(base.diffIds().getFirst().toString(), Digest.of(FakeRegistry.layerTar("app", "x".getBytes())).toString()));
        List<JsonNode> msgs = pull(REPO, "app");
        assertThat(statuses(msgs, base.layers().getFirst().digestValue().shortHex())).containsExactly("Already exists");
        assertThat(registry.requestsFor(base.layers().getFirst().digestValue())).isEqualTo(1);
        assertThat(statuses(msgs, app.layers().get(1).digestValue().shortHex())).startsWith("Pulling fs layer").endsWith("Pull complete");
        assertThat(images.inspect(REPO + ":app").rootFS().layers()).hasSize(2);
    }

    @Test
    void aLayerWhoseStackIsHereInAnotherCompressionIsStillFetchedSoTheImageCanBeSaved() throws Exception {
        byte[] tar = FakeRegistry.layerTar("same", "bytes".getBytes());
        Built plain = registry.image("plain", true, "amd64", null, List.of(registry.blob(MediaTypes.OCI_LAYER, tar)),
                List.of(Digest.of(tar).toString()));
        pull(REPO, "plain");
        byte[] top = FakeRegistry.layerTar("top", "more".getBytes());
        Built gz = registry.image("gz", true, "amd64", null, List.of(
                registry.blob(MediaTypes.OCI_LAYER_GZIP, FakeRegistry.compress(tar, Compress.GZIP)),
                registry.blob(MediaTypes.OCI_LAYER_GZIP, FakeRegistry.compress(top, Compress.GZIP))),
                List.of(Digest.of(tar).toString(), Digest.of(top).toString()));
        Digest gzBlob = gz.layers().getFirst().digestValue();

        List<JsonNode> msgs = pull(REPO, "gz");
        assertThat(statuses(msgs, gzBlob.shortHex())).startsWith("Pulling fs layer").endsWith("Pull complete");
        assertThat(registry.requestsFor(gzBlob)).isEqualTo(1);
        assertThat(store.content().exists(gzBlob)).isTrue();
        assertThat(store.find(REPO + ":gz").orElseThrow().layers().getFirst().chainId())
                .isEqualTo(store.find(REPO + ":plain").orElseThrow().topChainId());
        images.remove(REPO + ":plain", false, false);
        java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
        images.save(List.of(REPO + ":gz"), saved);
        assertThat(saved.size()).isGreaterThan(tar.length);
        assertThat(plain.layers()).hasSize(1);
    }

    @Test
    void manifestListsPickTheHostPlatformOrTheOneAskedFor() throws Exception {
        Built amd = registry.image(null, false, "amd64", null, Compress.GZIP, files("arch", "amd64"));
        Built arm64 = registry.image(null, false, "arm64", "v8", Compress.GZIP, files("arch", "arm64"));
        Built armv7 = registry.image(null, false, "arm", "v7", Compress.GZIP, files("arch", "armv7"));
        Built armv6 = registry.image(null, false, "arm", "v6", Compress.GZIP, files("arch", "armv6"));
        FetchedManifest list = registry.index("multi", false, List.of(armv6, armv7, arm64, amd));

        List<JsonNode> msgs = pull(REPO, "multi");
        assertThat(images.inspect(REPO + ":multi").id()).isEqualTo(amd.config().digest());
        assertThat(statuses(msgs)).contains("Digest: " + list.digest());
        assertThat(images.inspect(REPO + ":multi").repoDigests()).containsExactly(REPO + "@" + list.digest());

        pull(new PullRequest(REPO, "multi", false, "linux/arm64/v8", null));
        assertThat(images.inspect(REPO + ":multi").id()).isEqualTo(arm64.config().digest());
        pull(new PullRequest(REPO, "multi", false, "linux/arm", null));
        assertThat(images.inspect(REPO + ":multi").id()).isEqualTo(armv7.config().digest());
        pull(new PullRequest(REPO, "multi", false, "linux/arm/v6", null));
        assertThat(images.inspect(REPO + ":multi").id()).isEqualTo(armv6.config().digest());

        assertThatThrownBy(() -> pull(new PullRequest(REPO, "multi", false, "linux/s390x", null)))
                .isInstanceOf(BerthException.NotFound.class)
                .hasMessage("no matching manifest for linux/s390x in the manifest list entries");
    }

    @Test
    void aSingleArchImageOfAnotherPlatformIsPulledWithDockersWarning() throws Exception {
        registry.image("1", false, "amd64", null, Compress.GZIP, files("a", "a"));
        List<JsonNode> msgs = pull(new PullRequest(REPO, "1", false, "linux/arm64", null));
        assertThat(statuses(msgs).getLast()).isEqualTo("WARNING: image with reference " + REPO
                + " was found but does not match the specified platform: wanted linux/arm64, actual: linux/amd64");
        assertThat(statuses(pull(new PullRequest(REPO, "1", false, "linux/amd64", null))).getLast()).startsWith("Status: ");
    }

    @Test
    void ociIndexesToo() throws Exception {
        Built arm64 = registry.image(null, true, "arm64", null, Compress.ZSTD, files("arch", "arm64"));
        Built amd = registry.image(null, true, "amd64", null, Compress.ZSTD, files("arch", "amd64"));
        registry.index("oci", true, List.of(arm64, amd));
        pull(REPO, "oci");
        assertThat(images.inspect(REPO + ":oci").id()).isEqualTo(amd.config().digest());
        Path fs = store.snapshots().get(store.find(REPO + ":oci").orElseThrow().topChainId()).orElseThrow().dir().resolve("fs");
        assertThat(Files.readString(fs.resolve("arch"))).isEqualTo("amd64");
    }

    @Test
    void pullsByDigestInTheTagParameterOrTheName() throws Exception {
        Built b = registry.image("1", false, "amd64", null, Compress.NONE, files("plain", "tar"));
        String digest = b.manifest().digest().toString();
        List<JsonNode> msgs = pull(REPO, digest);
        assertThat(msgs.getFirst()).isEqualTo(json("{\"status\":\"Pulling from app\",\"id\":\"" + digest + "\"}"));
        assertThat(statuses(msgs).getLast()).isEqualTo("Status: Downloaded newer image for " + REPO + "@" + digest);
        ImageInspect img = images.inspect(REPO + "@" + digest);
        assertThat(img.repoTags()).isEmpty();
        assertThat(img.repoDigests()).containsExactly(REPO + "@" + digest);
        assertThat(statuses(pull(REPO + "@" + digest, null)).getLast()).isEqualTo("Status: Image is up to date for " + REPO + "@" + digest);
    }

    @Test
    void zstdAndUncompressedLayersUnpack() throws Exception {
        registry.image("z", true, "amd64", null, Compress.ZSTD, files("z", "zstd"));
        registry.image("n", true, "amd64", null, Compress.NONE, files("n", "none"));
        pull(REPO, "z");
        pull(REPO, "n");
        for (String t : List.of("z", "n")) {
            Path fs = store.snapshots().get(store.find(REPO + ":" + t).orElseThrow().topChainId()).orElseThrow().dir().resolve("fs");
            assertThat(Files.readString(fs.resolve(t))).isEqualTo(t.equals("z") ? "zstd" : "none");
        }
    }

    @Test
    void aLayerWithWrongBytesFailsVerificationAndStoresNothing() throws Exception {
        Built b = registry.image("1", false, "amd64", null, Compress.GZIP, files("a", "a", "b", "b"));
        byte[] evil = registry.blobs.get(b.layers().get(1).digestValue()).clone();
        evil[evil.length - 5] ^= 0x55;
        registry.blobs.put(b.layers().get(1).digestValue(), evil);
        assertThatThrownBy(() -> pull(REPO, "1")).isInstanceOf(BerthException.class)
                .hasMessage("filesystem layer verification failed for digest " + b.layers().get(1).digest());
        assertNothingStored();
    }

    @Test
    void aShortOrLongLayerFailsVerification() throws Exception {
        Built b = registry.image("1", false, "amd64", null, Compress.GZIP, files("a", "a"));
        Digest d = b.layers().getFirst().digestValue();
        byte[] good = registry.blobs.get(d);
        registry.blobs.put(d, java.util.Arrays.copyOf(good, good.length - 3));
        assertThatThrownBy(() -> pull(REPO, "1")).hasMessage("filesystem layer verification failed for digest " + d);
        assertNothingStored();
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 100);
        registry.blobs.put(d, longer);
        pull(REPO, "1"); // bytes past the descriptor's size are never read: the blob itself verifies
        assertThat(store.content().read(d)).isEqualTo(good);
    }

    @Test
    void aBodyOfTheWrongLengthFailsVerificationWithoutRetrying() throws Exception {
        Built b = registry.image("1", false, "amd64", null, Compress.GZIP, files("a", "a"));
        Digest d = b.layers().getFirst().digestValue();
        registry.wrongLength.add(d);
        assertThatThrownBy(() -> pull(REPO, "1")).isInstanceOf(BerthException.class)
                .hasMessage("filesystem layer verification failed for digest " + d);
        assertThat(registry.requestsFor(d)).isEqualTo(1);
        assertNothingStored();
    }

    @Test
    void aManifestWhoseConfigLiesAboutItsLayersFails() throws Exception {
        byte[] tar = FakeRegistry.layerTar("a", "a".getBytes());
        Descriptor layer = registry.blob(MediaTypes.DOCKER_LAYER_GZIP, FakeRegistry.compress(tar, Compress.GZIP));
        registry.image("1", false, "amd64", null, List.of(layer), List.of(Digest.of("other".getBytes()).toString()));
        assertThatThrownBy(() -> pull(REPO, "1")).hasMessage("layers from manifest don't match image configuration");
        assertNothingStored();

        registry.image("2", false, "amd64", null, List.of(layer), List.of());
        assertThatThrownBy(() -> pull(REPO, "2")).hasMessage("layers from manifest don't match image configuration");
        assertNothingStored();
    }

    @Test
    void aConfigThatDoesNotMatchItsDigestFails() throws Exception {
        Built b = registry.image("1", false, "amd64", null, Compress.GZIP, files("a", "a"));
        byte[] evil = b.configBytes().clone();
        evil[evil.length - 2] = ' ';
        registry.blobs.put(b.config().digestValue(), evil);
        assertThatThrownBy(() -> pull(REPO, "1")).hasMessage("image config verification failed for digest " + b.config().digest());
        assertNothingStored();
    }

    @Test
    void aManifestThatDoesNotMatchTheDigestAskedForFails() throws Exception {
        Built b = registry.image("1", false, "amd64", null, Compress.GZIP, files("a", "a"));
        Digest wanted = Digest.of("something else".getBytes());
        registry.manifests.put(wanted.toString(), b.manifest());
        assertThatThrownBy(() -> pull(REPO, wanted.toString())).hasMessage("manifest verification failed for digest " + wanted);
        assertNothingStored();
    }

    @Test
    void aMissingTagIsDockersNotFound() {
        assertThatThrownBy(() -> pull(REPO, "nope")).isInstanceOf(BerthException.NotFound.class)
                .hasMessage("manifest for " + REPO + ":nope not found: manifest unknown: manifest unknown");
        assertThatThrownBy(() -> pull("busybox", null)).isInstanceOf(BerthException.NotFound.class)
                .hasMessage("manifest for busybox:latest not found: manifest unknown: manifest unknown");
    }

    @Test
    void aRegistryThatDeniesAccessIsDockersPullAccessDenied() {
        registry.denied = true;
        assertThatThrownBy(() -> pull("busybox", null)).isInstanceOf(BerthException.NotFound.class)
                .hasMessage("pull access denied for busybox, repository does not exist or may require 'docker login': "
                        + "denied: requested access to the resource is denied");
    }

    @Test
    void aBrokenDownloadResumesWhereItStopped() throws Exception {
        byte[] random = new byte[300_000];
        new Random(7).nextBytes(random);
        Built b = registry.image("1", false, "amd64", null, Compress.GZIP, Map.of("big", random));
        Digest d = b.layers().getFirst().digestValue();
        registry.breakAfter.put(d, 100_000);
        List<JsonNode> msgs = pull(REPO, "1");
        assertThat(registry.blobRequests).contains(d + "@0", d + "@100000");
        List<String> layer = statuses(msgs, d.shortHex());
        assertThat(layer).containsSubsequence("Downloading", "Retrying in 5 seconds", "Retrying in 4 seconds",
                "Retrying in 1 second", "Downloading", "Verifying Checksum", "Download complete", "Pull complete");
        Path fs = store.snapshots().get(store.find(REPO + ":1").orElseThrow().topChainId()).orElseThrow().dir().resolve("fs");
        assertThat(Files.readAllBytes(fs.resolve("big"))).isEqualTo(random);
    }

    @Test
    void aRegistryThatKeepsFailingFailsThePullAndLeavesNothing() throws Exception {
        Built b = registry.image("1", false, "amd64", null, Compress.GZIP, files("a", "a"));
        Digest d = b.layers().getFirst().digestValue();
        byte[] bytes = registry.blobs.get(d);
        registry.alwaysBreakAfter.put(d, 5);
        assertThatThrownBy(() -> pull(REPO, "1")).hasMessageContaining("connection reset");
        assertNothingStored();
        assertThat(registry.requestsFor(d)).isEqualTo(6);
        registry.alwaysBreakAfter.clear();
        registry.blobs.put(d, bytes);
        pull(REPO, "1");
        assertThat(store.all()).hasSize(1);
    }

    @Test
    void downloadsBeyondTheLimitWait() throws Exception {
        open(1);
        Built b = registry.image("1", false, "amd64", null, Compress.GZIP, files("a", "a", "b", "b", "c", "c"));
        List<JsonNode> msgs = pull(REPO, "1");
        long waiting = msgs.stream().filter(m -> m.get("status").asText().equals("Waiting")).count();
        assertThat(waiting).isBetween(1L, 2L);
        for (Descriptor l : b.layers()) {
            assertThat(statuses(msgs, l.digestValue().shortHex())).first().isEqualTo("Pulling fs layer");
            assertThat(statuses(msgs, l.digestValue().shortHex())).endsWith("Download complete", "Extracting", "Pull complete");
        }
        // extraction is in layer order
        List<String> completes = msgs.stream().filter(m -> m.get("status").asText().equals("Pull complete")).map(m -> m.get("id").asText()).toList();
        assertThat(completes).containsExactlyElementsOf(b.layers().stream().map(l -> l.digestValue().shortHex()).toList());
    }

    @Test
    void fiveParallelPullsMakeOneImageAndDownloadEachBlobOnce() throws Exception {
        Built b = registry.image("1", false, "amd64", null, Compress.GZIP, files("a", "a", "b", "b", "c", "c"));
        registry.gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<List<JsonNode>>> pulls = new ArrayList<>();
            for (int i = 0; i < 5; i++) pulls.add(pool.submit(() -> pull(REPO, "1")));
            Thread.sleep(200); // let every pull join the held downloads
            registry.gate.countDown();
            for (Future<List<JsonNode>> f : pulls) assertThat(statuses(f.get()).getLast()).startsWith("Status: ");
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.all()).hasSize(1);
        for (Descriptor l : b.layers()) assertThat(registry.requestsFor(l.digestValue())).isEqualTo(1);
        try (Stream<Path> s = Files.list(root.resolve("snapshots"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tmp-")).toList()).isEmpty();
        }
    }

    @Test
    void allTagsPullsEveryTag() throws Exception {
        Built one = registry.image("1", false, "amd64", null, Compress.GZIP, files("v", "1"));
        Built two = registry.image("2", false, "amd64", null, Compress.GZIP, files("v", "2"));
        List<JsonNode> msgs = pull(new PullRequest(REPO, null, true, null, null));
        assertThat(images.inspect(REPO + ":1").id()).isEqualTo(one.config().digest());
        assertThat(images.inspect(REPO + ":2").id()).isEqualTo(two.config().digest());
        assertThat(statuses(msgs)).contains("Digest: " + one.manifest().digest(), "Digest: " + two.manifest().digest());
        assertThat(statuses(msgs).getLast()).isEqualTo("Status: Downloaded newer image for " + REPO);
    }

    @Test
    void bigLayersReportProgressUpToTheirSize() throws Exception {
        byte[] random = new byte[3_000_000];
        new Random(3).nextBytes(random);
        Built b = registry.image("1", false, "amd64", null, Compress.NONE, Map.of("big", random));
        Descriptor layer = b.layers().getFirst();
        List<JsonNode> downloading = pull(REPO, "1").stream().filter(m -> m.get("status").asText().equals("Downloading")).toList();
        assertThat(downloading).isNotEmpty();
        long last = -1;
        for (JsonNode m : downloading) {
            assertThat(m.get("progressDetail").get("total").asLong()).isEqualTo(layer.size());
            assertThat(m.get("progressDetail").get("current").asLong()).isGreaterThanOrEqualTo(last);
            last = m.get("progressDetail").get("current").asLong();
        }
        assertThat(last).isEqualTo(layer.size());
    }
}
