package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.GeneratedImage;
import io.berth.it.support.Http;
import io.berth.it.support.Images;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import io.berth.it.support.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 2: bad input gets a clear error, and leaves nothing behind. */
class BadInputIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @Test
    void garbageLoadFailsCleanly() throws IOException {
        List<String> before = Images.allIds(daemon.docker());
        List<String> blobsBefore = Images.filesUnder(daemon.dataRoot().resolve("content/blobs"));
        byte[] garbage = new byte[1 << 20];
        new Random(42).nextBytes(garbage);
        Path file = daemon.scratch().resolve("garbage.tar");
        Files.write(file, garbage);

        Result r = daemon.docker().run("load", "-i", file.toString());
        r.failed();
        assertThat((r.out() + r.err()).strip()).isNotEmpty();
        assertThat(r.errLines()).as("a one-line error").hasSize(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");

        Result stdin = daemon.docker().call("load").stdin(garbage).run();
        stdin.failed();
        assertThat(stdin.errLines()).hasSize(1);

        assertThat(Images.allIds(daemon.docker())).isEqualTo(before);
        assertThat(Images.filesUnder(daemon.dataRoot().resolve("content/blobs"))).isEqualTo(blobsBefore);
        assertThat(Images.bytesUnder(daemon.dataRoot().resolve("content/ingest"))).isZero();
        assertThat(daemon.http().ping()).isTrue();
    }

    @Test
    void truncatedFixtureLoadFailsCleanly() throws IOException {
        List<String> before = Images.allIds(daemon.docker());
        byte[] fixture = Files.readAllBytes(Project.fixture("layers.docker-archive.tar"));
        Path cut = daemon.scratch().resolve("truncated.tar");
        Files.write(cut, java.util.Arrays.copyOf(fixture, fixture.length / 2));
        Result r = daemon.docker().run("load", "-i", cut.toString());
        r.failed();
        assertThat(r.errLines()).hasSize(1);
        assertThat(Images.allIds(daemon.docker())).isEqualTo(before);
        assertThat(Images.bytesUnder(daemon.dataRoot().resolve("content/ingest"))).isZero();
    }

    @Test
    void importOfTarWithDotDotEntryWritesNothingOutside() throws IOException {
        String marker = "berth-evil-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path outside = Path.of("/tmp").resolve(marker);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(bytes)) {
            tar.dir("ok", 0755);
            tar.file("ok/file", 0644, "fine");
            tar.file("../evil", 0644, "evil");
            tar.file("../../../../../../../../tmp/" + marker, 0644, "evil");
            tar.symlink("escape", "/tmp");
            tar.file("escape/" + marker, 0644, "evil");
        }
        Path evil = daemon.scratch().resolve("evil.tar");
        Files.write(evil, bytes.toByteArray());
        List<String> before = Images.allIds(daemon.docker());

        Result r = daemon.docker().run("import", evil.toString(), "evil:import");
        try {
            r.failed();
            assertThat(r.errLines()).hasSize(1);
            assertThat(daemon.docker().run("image", "inspect", "evil:import").exit()).isNotZero();
            assertThat(Images.allIds(daemon.docker())).isEqualTo(before);
        } finally {
            assertNothingOutside(outside);
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void loadOfArchiveWithDotDotEntriesWritesNothingOutside() throws IOException {
        String marker = "berth-evil-load-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path outside = Path.of("/tmp").resolve(marker);
        ByteArrayOutputStream layer = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(layer)) {
            tar.file("../../../../../../../../tmp/" + marker, 0644, "evil");
        }
        byte[] layerBytes = layer.toByteArray();
        String diffId = GeneratedImage.sha256(layerBytes);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + diffId + "\"]}}";
        String cfgName = GeneratedImage.sha256(config.getBytes(StandardCharsets.UTF_8)) + ".json";
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(archive)) {
            tar.file("manifest.json", 0644, "[{\"Config\":\"" + cfgName + "\",\"RepoTags\":[\"evil:load\"],\"Layers\":[\"layer.tar\"]}]");
            tar.file(cfgName, 0644, config);
            tar.file("layer.tar", 0644, layerBytes);
            tar.file("../" + marker, 0644, "evil");
        }
        Path evil = daemon.scratch().resolve("evil-load.tar");
        Files.write(evil, archive.toByteArray());
        try {
            Result r = daemon.docker().run("load", "-i", evil.toString());
            r.failed();
            assertThat(r.errLines()).hasSize(1);
            assertThat(daemon.docker().run("image", "inspect", "evil:load").exit()).isNotZero();
        } finally {
            assertNothingOutside(outside);
            Files.deleteIfExists(outside);
        }
    }

    private static void assertNothingOutside(Path outside) {
        assertThat(Files.exists(outside, LinkOption.NOFOLLOW_LINKS)).as(outside + " must not be written").isFalse();
        for (Path dir : List.of(daemon.dataRoot(), daemon.dataRoot().getParent(), daemon.dataRoot().resolve("snapshots"),
                daemon.dataRoot().resolve("content"), daemon.scratch())) {
            assertThat(Files.exists(dir.resolve("evil"), LinkOption.NOFOLLOW_LINKS)).as(dir.resolve("evil") + " must not exist").isFalse();
        }
    }

    @Test
    void unknownImageInspect() {
        Result r = daemon.docker().run("image", "inspect", "nope");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("No such image: nope");
        Http.Response raw = daemon.http().get("/v1.47/images/nope/json");
        assertThat(raw.status()).isEqualTo(404);
        assertThat(raw.json().path("message").asText()).isEqualTo("No such image: nope:latest");
    }

    @Test
    void malformedFiltersAre400() {
        Http.Response r = daemon.http().get("/v1.47/images/json?filters=%7Bnot-json");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).isNotBlank();
    }

    @Test
    void badChangeOnImportIs400() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(bytes)) {
            tar.file("hello", 0644, "hi");
        }
        Http.Response r = daemon.http().request("POST", "/v1.47/images/create?fromSrc=-&repo=bad&tag=change&changes=FROBNICATE%20x",
                Map.of("Content-Type", "application/x-tar"), bytes.toByteArray());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).contains("FROBNICATE");
    }

    /** Malformed JSON gets 400 with a message, not 500: the image endpoints take JSON in their filters parameter. */
    @Test
    void malformedJsonIs400() {
        Http.Response r = daemon.http().request("GET", "/v1.47/images/json?filters=%7B%22dangling%22%3A",
                Map.of(), new byte[0]);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).startsWith("invalid filter");
        Http.Response prune = daemon.http().request("POST", "/v1.47/images/prune?filters=%5B1%2C2%5D", Map.of(), new byte[0]);
        assertThat(prune.status()).isEqualTo(400);
        assertThat(prune.json().path("message").asText()).isNotBlank();
    }

    /** A JSON body that does not parse gets 400, not 500. The first route with a JSON body is the containers one. */
    @Test
    void malformedJsonBodyIs400() {
        Http.Response r = daemon.http().request("POST", "/v1.47/containers/create",
                Map.of("Content-Type", "application/json"), "{\"Image\": ".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).isNotBlank();
    }
}
