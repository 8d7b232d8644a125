package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.api.JsonProgress;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.engine.archive.LayerApplier;
import io.berth.engine.content.ContentStore;
import io.berth.engine.image.Image;
import io.berth.engine.image.ImageRegistrar;
import io.berth.engine.image.ImageStore;
import io.berth.engine.image.ImageUsage;
import io.berth.engine.image.LocalImageService;
import io.berth.engine.events.EventBus;
import io.berth.engine.service.DistributionService.PushRequest;
import io.berth.engine.snapshot.OverlaySnapshotter;
import io.berth.engine.sys.Sys;
import io.berth.oci.Digest;
import io.berth.oci.Manifest;
import io.berth.oci.MediaTypes;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import io.berth.engine.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push operation against an in-memory registry, over real image and content stores in a temp data root. */
class ImagePusherTest {
    @TempDir Path root;
    ImageStore store;
    LocalImageService images;
    ImageRegistrar registrar;
    V2Metadata metadata;
    InMemoryRegistry registry = new InMemoryRegistry();
    List<JsonMessage> messages = Collections.synchronizedList(new ArrayList<>());

    static Path fixture(String name) { return Fixtures.path(name); }

    @BeforeEach
    void open() {
        metadata = new V2Metadata(root.resolve("distribution"));
        store = new ImageStore(root.resolve("images"), new ContentStore(root.resolve("content")),
                new OverlaySnapshotter(root.resolve("snapshots")), ImageUsage.NONE, metadata);
        registrar = new ImageRegistrar(store, new LayerApplier(Sys.linux()));
        images = new LocalImageService(store, registrar, new EventBus(), ImageUsage.NONE);
    }

    /** Loads a fixture and names it {@code name:tag}. */
    Image load(String fixture, String name, String tag) throws Exception {
        try (InputStream in = Files.newInputStream(fixture(fixture))) {
            images.load(in, true, m -> {});
        }
        images.tag("berth-fixture:layers", name, tag);
        return store.require(name + ":" + tag);
    }

    ImagePusher pusher(int slots) {
        return new ImagePusher(store, registrar, registry, metadata, metadata, slots, new RetryPolicy(4, Duration.ZERO));
    }

    void push(String name, String tag) { push(pusher(5), name, tag); }

    void push(ImagePusher pusher, String name, String tag) {
        messages.clear();
        pusher.push(new PushRequest(name, tag, null, AuthConfig.NONE), messages::add);
    }

    /** The messages as "id: status", progress messages left out. */
    List<String> lines() {
        return messages.stream().filter(m -> !"Pushing".equals(m.status()))
                .map(m -> m.status() == null ? "aux " + auxOf(m) : (m.id() == null ? "" : m.id() + ": ") + m.status()).toList();
    }

    static String auxOf(JsonMessage m) {
        try {
            return Json.wire().writeValueAsString(m.aux());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String id(Image.Layer l) { return l.diffId().shortHex(); }

    @Test
    void pushesACompressedImageAsItIsWithTheExactMessagesAndItsOwnManifest() throws Exception {
        Image img = load("layers.oci-archive.tar", "localhost:5000/app", "latest");
        push(pusher(1), "localhost:5000/app", "latest");

        byte[] stored = registry.manifests.get("app:latest");
        assertThat(stored).isEqualTo(store.content().read(img.manifestDigest()));
        assertThat(registry.manifestTypes.get("app:latest")).isEqualTo(MediaTypes.OCI_MANIFEST);
        Digest digest = Digest.of(stored);
        List<Image.Layer> l = img.layers();
        assertThat(lines()).containsExactly(
                "The push refers to repository [localhost:5000/app]",
                id(l.get(2)) + ": Preparing", id(l.get(1)) + ": Preparing", id(l.get(0)) + ": Preparing",
                id(l.get(1)) + ": Waiting", id(l.get(0)) + ": Waiting",
                id(l.get(2)) + ": Pushed", id(l.get(1)) + ": Pushed", id(l.get(0)) + ": Pushed",
                "latest: digest: " + digest + " size: " + stored.length,
                "aux {\"Tag\":\"latest\",\"Digest\":\"" + digest + "\",\"Size\":" + stored.length + "}");
        for (Image.Layer layer : l) {
            List<JsonMessage> progress = messages.stream().filter(m -> "Pushing".equals(m.status()) && id(layer).equals(m.id())).toList();
            assertThat(progress).isNotEmpty();
            JsonMessage last = progress.getLast();
            assertThat(last.progressDetail().current()).isEqualTo(layer.blob().size()).isEqualTo(last.progressDetail().total());
            assertThat(last.progress()).isEqualTo(JsonProgress.render(layer.blob().size(), layer.blob().size()));
        }
        // an update carries an empty progressDetail, as dockerd's progress.Update
        JsonNode preparing = Json.wire().valueToTree(messages.get(1));
        assertThat(preparing.get("progressDetail").isEmpty()).isTrue();
        assertThat(registry.linked("app")).contains(img.id()).containsAll(l.stream().map(x -> x.blob().digestValue()).toList());
        assertThat(store.require("localhost:5000/app:latest").repoDigests()).containsExactly("localhost:5000/app@" + digest);
    }

    @Test
    void compressesAnUncompressedImageOnceAndReusesItOnTheNextPush() throws Exception {
        Image img = load("layers.docker-archive.tar", "localhost:5000/app", "latest");
        Set<Digest> before = store.content().list();
        push("localhost:5000/app", "latest");
        Set<Digest> afterFirst = store.content().list();
        assertThat(afterFirst).hasSize(before.size() + 3);

        byte[] body = registry.manifests.get("app:latest");
        assertThat(registry.manifestTypes.get("app:latest")).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        Manifest m = Json.plain().readValue(body, Manifest.class);
        assertThat(m.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(m.config().mediaType()).isEqualTo(MediaTypes.DOCKER_CONFIG);
        assertThat(m.config().digest()).isEqualTo(img.id().toString());
        assertThat(m.layers()).extracting(d -> d.mediaType()).containsOnly(MediaTypes.DOCKER_LAYER_GZIP);
        for (int i = 0; i < 3; i++) {
            var blob = m.layers().get(i);
            assertThat(metadata.compressed(img.layers().get(i).diffId()).orElseThrow().digest()).isEqualTo(blob.digest());
            byte[] pushed = registry.blobs.get(blob.digestValue());
            assertThat(pushed).hasSize((int) blob.size());
            try (var gz = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(pushed))) {
                assertThat(Digest.of(gz.readAllBytes())).isEqualTo(img.layers().get(i).diffId());
            }
        }
        // Go's json.MarshalIndent(m, "", "   "), as moby writes schema2
        assertThat(new String(body)).startsWith("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"" + MediaTypes.DOCKER_MANIFEST
                + "\",\n   \"config\": {\n      \"mediaType\": \"" + MediaTypes.DOCKER_CONFIG + "\",\n      \"size\": ");

        // a restart: the metadata is read back, collection keeps the compressed blobs, nothing is compressed again
        open();
        store.collect();
        assertThat(store.content().list()).isEqualTo(afterFirst);
        InMemoryRegistry other = registry = new InMemoryRegistry();
        push("localhost:5000/app", "latest");
        assertThat(store.content().list()).isEqualTo(afterFirst);
        assertThat(other.manifests.get("app:latest")).isEqualTo(body);

        // once the image is gone, so are its compressed blobs
        images.remove("localhost:5000/app:latest", true, false);
        images.remove("berth-fixture:layers", true, false);
        store.collect();
        assertThat(store.content().list()).isEmpty();
    }

    @Test
    void twoPushesAtOnceCompressALayerOnce() throws Exception {
        load("layers.docker-archive.tar", "localhost:5000/one", "v1");
        images.tag("localhost:5000/one:v1", "localhost:5000/two", "v1");
        int before = store.content().list().size();
        ImagePusher pusher = pusher(5);
        var other = java.util.concurrent.CompletableFuture.runAsync(
                () -> pusher.push(new PushRequest("localhost:5000/two", "v1", null, AuthConfig.NONE), m -> {}));
        pusher.push(new PushRequest("localhost:5000/one", "v1", null, AuthConfig.NONE), messages::add);
        other.join();
        assertThat(store.content().list()).hasSize(before + 3);
        assertThat(registry.manifests.get("one:v1")).isEqualTo(registry.manifests.get("two:v1"));
    }

    @Test
    void aSecondPushFindsEveryLayerAlready() throws Exception {
        Image img = load("layers.oci-archive.tar", "localhost:5000/app", "latest");
        push("localhost:5000/app", "latest");
        int uploads = registry.calls("UPLOAD").size();
        push("localhost:5000/app", "latest");
        assertThat(registry.calls("UPLOAD")).hasSize(uploads);
        assertThat(lines()).filteredOn(s -> s.contains(": ") && !s.startsWith("latest"))
                .containsAll(img.layers().stream().map(l -> id(l) + ": Layer already exists").toList())
                .noneMatch(s -> s.endsWith("Pushed"));
    }

    @Test
    void mountsLayersFromAnotherRepositoryOfTheSameRegistry() throws Exception {
        Image img = load("layers.oci-archive.tar", "localhost:5000/a/b/c", "v1");
        push("localhost:5000/a/b/c", "v1");
        images.tag("localhost:5000/a/b/c:v1", "localhost:5000/other", "v2");
        push("localhost:5000/other", "v2");
        assertThat(lines()).contains("The push refers to repository [localhost:5000/other]")
                .containsAll(img.layers().stream().map(l -> id(l) + ": Mounted from a/b/c").toList());
        assertThat(registry.calls("UPLOAD")).noneMatch(c -> c.startsWith("UPLOAD other sha256:") && !c.endsWith(img.id().toString()));
        assertThat(registry.manifests).containsKey("other:v2");
        // another registry host is never asked to mount from this one
        images.tag("localhost:5000/a/b/c:v1", "127.0.0.1:5001/x", "v1");
        push("127.0.0.1:5001/x", "v1");
        assertThat(lines()).noneMatch(s -> s.contains("Mounted"));
    }

    @Test
    void aRefusedMountIsOnlyAMissedShortcut() throws Exception {
        Image img = load("layers.oci-archive.tar", "localhost:5000/a", "v1");
        push("localhost:5000/a", "v1");
        images.tag("localhost:5000/a:v1", "localhost:5000/b", "v1");
        registry.denyPull.add("a");
        push("localhost:5000/b", "v1");
        assertThat(lines()).containsAll(img.layers().stream().map(l -> id(l) + ": Pushed").toList());
        assertThat(registry.calls("MOUNT")).filteredOn(c -> c.startsWith("MOUNT b ") && c.endsWith(" from a")).hasSize(3);
        assertThat(registry.manifests).containsKey("b:v1");
    }

    @Test
    void anImageThatIsNotLocalFailsBeforeAnyMessage() throws Exception {
        assertThatThrownBy(() -> push("localhost:5000/nope", null)).isInstanceOf(BerthException.NotFound.class)
                .hasMessage("An image does not exist locally with the tag: localhost:5000/nope");
        load("layers.oci-archive.tar", "localhost:5000/app", "latest");
        assertThatThrownBy(() -> push("localhost:5000/app", "v2")).isInstanceOf(BerthException.NotFound.class)
                .hasMessage("tag does not exist: localhost:5000/app:v2");
        assertThatThrownBy(() -> push("localhost:5000/app@sha256:" + "a".repeat(64), null))
                .isInstanceOf(BerthException.InvalidArgument.class);
        assertThat(messages).isEmpty();
        assertThat(registry.opened).isZero();
    }

    @Test
    void refusedCredentialsFailBeforeTheFirstMessage() throws Exception {
        load("layers.oci-archive.tar", "localhost:5000/app", "latest");
        registry.refusePush = new BerthException.Unauthorized("unauthorized: authentication required");
        assertThatThrownBy(() -> push("localhost:5000/app", "latest")).isInstanceOf(BerthException.Unauthorized.class)
                .hasMessage("unauthorized: authentication required");
        assertThat(messages).isEmpty();
        assertThat(registry.manifests).isEmpty();
    }

    @Test
    void retriesAFailedUploadWithDockersCountdown() throws Exception {
        Image img = load("layers.oci-archive.tar", "localhost:5000/app", "latest");
        Image.Layer top = img.layers().getLast();
        registry.failUploads.put(top.blob().digestValue(), new AtomicInteger(2));
        push("localhost:5000/app", "latest");
        List<String> top12 = lines().stream().filter(s -> s.startsWith(id(top) + ": ")).map(s -> s.substring(14)).toList();
        List<String> expected = new ArrayList<>(List.of("Preparing"));
        for (int s = 5; s >= 1; s--) expected.add("Retrying in " + s + (s == 1 ? " second" : " seconds"));
        for (int s = 10; s >= 1; s--) expected.add("Retrying in " + s + (s == 1 ? " second" : " seconds"));
        expected.add("Pushed");
        assertThat(top12).isEqualTo(expected);
        assertThat(registry.manifests).containsKey("app:latest");
    }

    @Test
    void givesUpAfterFiveAttempts() throws Exception {
        Image img = load("layers.oci-archive.tar", "localhost:5000/app", "latest");
        registry.failUploads.put(img.layers().getFirst().blob().digestValue(), new AtomicInteger(99));
        assertThatThrownBy(() -> push("localhost:5000/app", "latest")).isInstanceOf(BerthException.Unavailable.class)
                .hasMessageContaining("connection reset");
        assertThat(registry.calls("UPLOAD").stream().filter(c -> c.endsWith(img.layers().getFirst().blob().digest()))).hasSize(5);
        assertThat(registry.manifests).isEmpty();
    }

    @Test
    void withoutATagPushesEveryTagOfTheRepositoryInOrder() throws Exception {
        Image img = load("layers.oci-archive.tar", "localhost:5000/app", "v2");
        images.tag("localhost:5000/app:v2", "localhost:5000/app", "v1");
        push("localhost:5000/app", null);
        List<String> lines = lines();
        assertThat(lines.getFirst()).isEqualTo("The push refers to repository [localhost:5000/app]");
        assertThat(lines).filteredOn(s -> s.startsWith("The push")).hasSize(1);
        assertThat(lines).filteredOn(s -> s.contains(": digest: ")).extracting(s -> s.substring(0, 2)).containsExactly("v1", "v2");
        assertThat(lines).filteredOn(s -> s.endsWith("Layer already exists")).hasSize(3);
        assertThat(registry.manifests).containsKeys("app:v1", "app:v2");
        assertThat(registry.calls("UPLOAD")).hasSize(4); // three layers and the config, once
        assertThat(store.require("localhost:5000/app:v1").repoDigests()).hasSize(1);
        assertThat(img.layers()).hasSize(3);
    }

    @Test
    void nestedPathsKeepTheirWholeName() throws Exception {
        load("layers.oci-archive.tar", "localhost:5000/a/b/c", "tag");
        push("localhost:5000/a/b/c", "tag");
        assertThat(lines().getFirst()).isEqualTo("The push refers to repository [localhost:5000/a/b/c]");
        assertThat(registry.manifests).containsKey("a/b/c:tag");
        assertThat(registry.calls("PUT")).containsExactly("PUT a/b/c tag");
    }
}
