package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.GeneratedImage;
import io.berth.it.support.HostileRegistry;
import io.berth.it.support.Images;
import io.berth.it.support.LocalRegistry;
import io.berth.it.support.Result;
import io.berth.it.support.TarWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8's robustness of pull, end to end through the real docker CLI: kill -9 of berthd mid-pull, a registry
 * (distribution 2.8) that dies mid-pull and comes back, five parallel pulls of one image, and hostile registries (a
 * server of the test's own) with wrong digests, wrong sizes, endless bodies, lying manifests and a redirect to another
 * port that must not get the credentials. After each, the data root holds exactly the blobs and snapshots of the
 * images that {@code docker images} shows: nothing half-pulled, nothing in the ingest or staging areas.
 */
class RegistryRobustnessIT {
    private static final String SCHEMA2 = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String CONFIG = "application/vnd.docker.container.image.v1+json";
    private static final String LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    private static final long MID_FLIGHT_BYTES = 16L << 20;
    private static final Duration PULL_TIMEOUT = Duration.ofSeconds(180);

    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static LocalRegistry registry;
    static GeneratedImage big;
    static String bigRef;
    static Set<String> bigBlobs;
    static ExecutorService threads;

    /** A 200 MiB single-layer image of random bytes, seeded into the registry with skopeo. */
    @BeforeAll
    static void seed() throws IOException {
        threads = Executors.newVirtualThreadPerTaskExecutor();
        registry = LocalRegistry.plain();
        big = new GeneratedImage("robust/big:v1", 4, 50L << 20, 8);
        Path archive = daemon.scratch().resolve("big.tar");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 20)) {
            big.writeArchive(out);
        }
        registry.seed("docker-archive:" + archive, "robust/big:v1");
        Files.delete(archive);
        bigRef = registry.host() + "/robust/big:v1";
        String manifestDigest = registry.manifestDigest("robust/big", "v1");
        JsonNode m = Images.parse(new String(registry.getBytes("robust/big/manifests/v1", SCHEMA2), StandardCharsets.UTF_8));
        bigBlobs = new HashSet<>(List.of(hex(manifestDigest), hex(m.path("config").path("digest").asText())));
        m.path("layers").forEach(l -> bigBlobs.add(hex(l.path("digest").asText())));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) registry.close();
        if (threads != null) threads.close();
    }

    @AfterEach
    void removeAll() {
        Images.removeAll(daemon.docker());
        assertDataRoot(Set.of(), 0);
    }

    // ---- kill -9, a registry that dies, parallel pulls ----

    @Test
    void killNineOfBerthdMidPullLeavesNoHalfImage() throws Exception {
        CompletableFuture<Result> pull = pullAsync(bigRef);
        awaitMidFlight(pull);
        daemon.kill9();
        Result killed = pull.get(30, TimeUnit.SECONDS);
        assertThat(killed.exit()).as(killed.toString()).isNotZero();

        daemon.restart();
        assertNothingLeftThenAPullSucceeds(killed);
    }

    @Test
    void aRegistryThatDiesMidPullResumesOrFailsCleanly() throws Exception {
        CompletableFuture<Result> pull = pullAsync(bigRef);
        awaitMidFlight(pull);
        registry.kill();
        Thread.sleep(1000); // the registry stays away for a moment
        registry.restart();
        Result r = pull.get(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        System.out.println("[berth-it] the pull through a registry that died " + (r.exit() == 0 ? "resumed" : "failed cleanly") + ": " + r);
        if (r.exit() == 0) {
            assertThat(r.out()).as(r.toString()).contains("Retrying in ").contains("Status: Downloaded newer image for " + bigRef);
            assertBigImageIsWhole();
            Images.removeAll(daemon.docker());
        }
        assertNothingLeftThenAPullSucceeds(r);
    }

    @Test
    void fiveParallelPullsMakeOneImageAndStoreEachBlobOnce() throws Exception {
        List<CompletableFuture<Result>> pulls = new ArrayList<>();
        for (int i = 0; i < 5; i++) pulls.add(pullAsync(bigRef));
        for (CompletableFuture<Result> p : pulls) {
            Result r = p.get(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS).ok();
            assertThat(r.lines()).as(r.toString()).containsAnyOf("Status: Downloaded newer image for " + bigRef,
                    "Status: Image is up to date for " + bigRef);
            assertThat(r.lines().getLast()).isEqualTo(bigRef);
        }
        assertThat(Images.allIds(daemon.docker())).containsExactly(big.imageId());
        assertThat(daemon.docker().ok("images", "--format", "{{.Repository}}:{{.Tag}}").strip()).isEqualTo(bigRef);
        assertBigImageIsWhole();
    }

    // ---- hostile registries ----

    @Test
    void aLayerWhoseBytesAreNotItsDigestFailsAndStoresNothing() {
        Tiny img = Tiny.of("hello", null);
        byte[] evil = img.layer().clone();
        evil[evil.length - 5] ^= 0x55;
        try (HostileRegistry h = new HostileRegistry()) {
            img.serve(h, "evil", x -> HostileRegistry.send(x, 200, evil, evil.length));
            assertRejected(pull(h.host() + "/evil:v1"), "filesystem layer verification failed for digest " + img.layerDigest());
        }
    }

    @Test
    void aLayerShorterOrLongerThanItsDescriptorFailsAndStoresNothing() {
        Tiny img = Tiny.of("sizes", null);
        byte[] shorter = Arrays.copyOf(img.layer(), img.layer().length - 3);
        byte[] longer = Arrays.copyOf(img.layer(), img.layer().length + 100);
        try (HostileRegistry h = new HostileRegistry()) {
            img.serve(h, "short", x -> HostileRegistry.send(x, 200, shorter, shorter.length));
            assertRejected(pull(h.host() + "/short:v1"), "filesystem layer verification failed for digest " + img.layerDigest());
            img.serve(h, "shortchunked", x -> HostileRegistry.send(x, 200, shorter, 0));
            assertRejected(pull(h.host() + "/shortchunked:v1"), "filesystem layer verification failed for digest " + img.layerDigest());
            img.serve(h, "long", x -> HostileRegistry.send(x, 200, longer, longer.length));
            assertRejected(pull(h.host() + "/long:v1"), "filesystem layer verification failed for digest " + img.layerDigest());
        }
    }

    @Test
    void anEndlessLayerBodyFailsAtItsDescriptorsSize() {
        Tiny img = Tiny.of("endless", null);
        try (HostileRegistry h = new HostileRegistry()) {
            img.serve(h, "endless", HostileRegistry.endless(img.layer()));
            long start = System.nanoTime();
            assertRejected(pull(h.host() + "/endless:v1"), "filesystem layer verification failed for digest " + img.layerDigest());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void aConfigWhoseDiffIdsAreNotTheLayersFails() {
        Tiny img = Tiny.of("liar", sha256("not this layer".getBytes(StandardCharsets.UTF_8)));
        try (HostileRegistry h = new HostileRegistry()) {
            img.serve(h, "liar", x -> HostileRegistry.send(x, 200, img.layer(), img.layer().length));
            assertRejected(pull(h.host() + "/liar:v1"), "layers from manifest don't match image configuration");
        }
    }

    @Test
    void aManifestThatIsNotTheDigestAskedForFails() {
        Tiny asked = Tiny.of("asked", null);
        Tiny served = Tiny.of("served", null);
        try (HostileRegistry h = new HostileRegistry()) {
            served.serve(h, "swap", x -> HostileRegistry.send(x, 200, served.layer(), served.layer().length));
            h.manifest("/v2/swap/manifests/" + asked.manifestDigest(), SCHEMA2, asked.manifestDigest(), served.manifest());
            assertRejected(pull(h.host() + "/swap@" + asked.manifestDigest()),
                    "manifest verification failed for digest " + asked.manifestDigest());
        }
    }

    @Test
    void credentialsAreNotSentToAnotherPortOnABlobRedirect() {
        Tiny img = Tiny.of("redirected", null);
        try (HostileRegistry h = new HostileRegistry(); HostileRegistry elsewhere = HostileRegistry.plainHttp()) {
            h.requireBasic("alice", "s3cret");
            String target = "/storage/" + img.layerDigest();
            elsewhere.route(target, x -> HostileRegistry.send(x, 200, img.layer(), img.layer().length));
            img.serve(h, "app", x -> {
                x.getResponseHeaders().set("Location", "http://" + elsewhere.host() + target);
                HostileRegistry.send(x, 307, new byte[0], -1);
            });
            daemon.docker().call("login", "-u", "alice", "--password-stdin", h.host()).stdin("s3cret\n".getBytes()).run().ok();
            try {
                String ref = h.host() + "/app:v1";
                Result r = pull(ref).ok();
                assertThat(r.lines()).contains("Status: Downloaded newer image for " + ref);
            } finally {
                daemon.docker().run("logout", h.host()).ok();
            }
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
            assertThat(h.requests()).as("the registry got the credentials")
                    .anyMatch(q -> q.path().equals("/v2/app/manifests/v1") && q.authorization().equals(basic));
            assertThat(elsewhere.requests()).as("the redirect target").isNotEmpty()
                    .allMatch(q -> q.authorization().isEmpty(), "has no Authorization header");
        }
    }

    // ---- helpers ----

    /** After {@code interrupted}: no image and no blob, snapshot, ingest or staging left; then a new pull succeeds. */
    private static void assertNothingLeftThenAPullSucceeds(Result interrupted) throws IOException {
        assertThat(daemon.docker().ok("images", "-a", "-q")).as(interrupted.toString()).isBlank();
        assertDataRoot(Set.of(), 0);
        daemon.docker().call("pull", bigRef).timeout(PULL_TIMEOUT).run().ok();
        assertBigImageIsWhole();
    }

    /** The big image is there with its own ID, its blobs and its one snapshot, and nothing else. */
    private static void assertBigImageIsWhole() throws IOException {
        assertThat(Images.inspect(daemon.docker(), bigRef).path("Id").asText()).isEqualTo(big.imageId());
        assertDataRoot(bigBlobs, 1);
    }

    private static CompletableFuture<Result> pullAsync(String ref) {
        return CompletableFuture.supplyAsync(() -> daemon.docker().call("pull", ref).timeout(PULL_TIMEOUT).run(), threads);
    }

    private static Result pull(String ref) {
        return daemon.docker().call("pull", ref).timeout(Duration.ofSeconds(60)).run();
    }

    /** Waits until the pull has written {@value #MID_FLIGHT_BYTES} bytes (ingest and staging), still unfinished. */
    private static void awaitMidFlight(CompletableFuture<Result> pull) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Path root = daemon.dataRoot();
        while (bytesUnder(root.resolve("content/ingest")) + bytesUnder(root.resolve("snapshots")) < MID_FLIGHT_BYTES) {
            assertThat(pull).as("the pull ended before it was mid-flight").isNotDone();
            assertThat(System.nanoTime()).as("the pull never got under way").isLessThan(deadline);
            Thread.sleep(2); // test-side observation of the daemon's files; the daemon itself is not polled
        }
        assertThat(pull).as("the pull ended before it was mid-flight").isNotDone();
    }

    /** Bytes of the regular files under {@code dir}, tolerating files that go away while it is walked. */
    private static long bytesUnder(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.mapToLong(p -> {
                try {
                    return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (NoSuchFileException | UncheckedIOException gone) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data root holds exactly these blobs and {@code snapshots} whole snapshots: no ingest, no staging. */
    private static void assertDataRoot(Set<String> blobs, int snapshots) {
        Path root = daemon.dataRoot();
        assertThat(names(root.resolve("content/blobs/sha256"))).as("blobs").containsExactlyInAnyOrderElementsOf(blobs);
        assertThat(names(root.resolve("content/ingest"))).as("ingest").isEmpty();
        List<String> snaps = names(root.resolve("snapshots"));
        assertThat(snaps).as("snapshots").hasSize(snapshots).noneMatch(n -> n.startsWith("tmp-") || n.startsWith("rm-"));
    }

    private static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pull failed with {@code message} and left nothing: no image, no blob, no snapshot. */
    private static void assertRejected(Result r, String message) {
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).as(r.toString()).contains(message);
        assertThat(Images.allIds(daemon.docker())).isEmpty();
        assertDataRoot(Set.of(), 0);
    }

    private static String hex(String digest) {
        return digest.substring("sha256:".length());
    }

    private static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A one-layer image (a gzipped tar of one file) as a registry serves it; {@code diffId} overrides the config's. */
    private record Tiny(byte[] layer, byte[] config, byte[] manifest) {
        static Tiny of(String text, String diffId) {
            try {
                ByteArrayOutputStream tar = new ByteArrayOutputStream();
                try (TarWriter w = new TarWriter(tar)) {
                    w.file(text + ".txt", 0644, text + "\n");
                }
                ByteArrayOutputStream gz = new ByteArrayOutputStream();
                try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
                    z.write(tar.toByteArray());
                }
                byte[] layer = gz.toByteArray();
                String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + (diffId != null ? diffId : sha256(tar.toByteArray())) + "\"]}}";
                byte[] cfg = config.getBytes(StandardCharsets.UTF_8);
                String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + SCHEMA2 + "\","
                        + "\"config\":{\"mediaType\":\"" + CONFIG + "\",\"digest\":\"" + sha256(cfg) + "\",\"size\":" + cfg.length + "},"
                        + "\"layers\":[{\"mediaType\":\"" + LAYER_GZIP + "\",\"digest\":\"" + sha256(layer) + "\",\"size\":" + layer.length + "}]}";
                return new Tiny(layer, cfg, manifest.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String layerDigest() { return sha256(layer); }

        String manifestDigest() { return sha256(manifest); }

        /** Serves this image as {@code repo:v1}: its manifest and config honestly, its layer by {@code layerResponder}. */
        void serve(HostileRegistry h, String repo, HostileRegistry.Responder layerResponder) {
            h.manifest("/v2/" + repo + "/manifests/v1", SCHEMA2, manifestDigest(), manifest);
            h.route("/v2/" + repo + "/blobs/" + sha256(config), x -> HostileRegistry.send(x, 200, config, config.length));
            h.route("/v2/" + repo + "/blobs/" + layerDigest(), layerResponder);
        }
    }
}
