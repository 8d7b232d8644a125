package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.Filters;
import io.berth.api.JsonMessage;
import io.berth.api.events.EventMessage;
import io.berth.api.image.ImageDeleteItem;
import io.berth.api.image.ImageInspect;
import io.berth.engine.archive.LayerApplier;
import io.berth.engine.content.ContentStore;
import io.berth.engine.service.ImageService;
import io.berth.api.errors.BerthException;
import io.berth.engine.events.EventBus;
import io.berth.engine.snapshot.OverlaySnapshotter;
import io.berth.engine.sys.Sys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import io.berth.engine.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image backend over real stores in a temp data root, with the shared fixtures. */
class LocalImageServiceTest {
    static final String FIXTURE_ID = "sha256:9b579ac2ff0f3ec292da376300b5f641901e26da5d0df77920a7c7bc96200a0d";

    @TempDir Path root;
    EventBus events;
    ImageStore store;
    LocalImageService images;

    static Path fixture(String name) { return Fixtures.path(name); }

    @BeforeEach
    void open() {
        events = new EventBus();
        reopen();
    }

    void reopen() {
        ContentStore content = new ContentStore(root.resolve("content"));
        OverlaySnapshotter snaps = new OverlaySnapshotter(root.resolve("snapshots"));
        store = new ImageStore(root.resolve("images"), content, snaps, ImageUsage.NONE);
        images = new LocalImageService(store, new ImageRegistrar(store, new LayerApplier(Sys.linux())), events, ImageUsage.NONE);
    }

    List<JsonMessage> load(String fixture) throws Exception {
        List<JsonMessage> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(fixture(fixture))) {
            images.load(in, true, out::add);
        }
        return out;
    }

    @Test
    void loadsTheDockerArchiveFixtureKeepingItsId() throws Exception {
        List<JsonMessage> msgs = load("layers.docker-archive.tar");
        assertThat(msgs).extracting(JsonMessage::stream).contains("Loaded image: berth-fixture:layers\n");
        ImageInspect img = images.inspect("berth-fixture:layers");
        assertThat(img.id()).isEqualTo(FIXTURE_ID);
        assertThat(img.config().env()).contains("FOO=bar");
        assertThat(img.config().workingDir()).isEqualTo("/data");
        assertThat(img.config().cmd()).containsExactly("cat", "/data/a");
        assertThat(img.config().exposedPorts()).containsKey("8080/tcp");
        assertThat(img.config().labels()).containsEntry("org.example.fixture", "layers");
        assertThat(img.rootFS().layers()).hasSize(3);
        assertThat(img.graphDriver().data()).containsKeys("UpperDir", "LowerDir");
        assertThat(images.history("berth-fixture:layers")).isNotEmpty();
    }

    @Test
    void loadsTheOciFixtureToTheSameLayers() throws Exception {
        load("layers.oci-archive.tar");
        ImageInspect oci = images.inspect("berth-fixture:layers");
        assertThat(oci.rootFS().layers()).hasSize(3);
        load("layers.docker-archive.tar");
        ImageInspect legacy = images.inspect("berth-fixture:layers");
        // same DiffIDs: the snapshots are shared, not unpacked twice
        assertThat(legacy.rootFS().layers()).isEqualTo(oci.rootFS().layers());
        assertThat(store.snapshots().list()).hasSize(3);
    }

    @Test
    void saveThenRemoveThenLoadKeepsTheId() throws Exception {
        load("layers.docker-archive.tar");
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        images.save(List.of("berth-fixture:layers"), saved);
        List<ImageDeleteItem> removed = images.remove("berth-fixture:layers", false, false);
        assertThat(removed).contains(ImageDeleteItem.untagged("berth-fixture:layers"), ImageDeleteItem.deleted(FIXTURE_ID));
        assertThat(store.content().list()).isEmpty();
        assertThat(store.snapshots().list()).isEmpty();
        try (Stream<Path> s = Files.list(root.resolve("snapshots"))) {
            assertThat(s).isEmpty();
        }
        images.load(new ByteArrayInputStream(saved.toByteArray()), true, m -> {});
        assertThat(images.inspect("berth-fixture:layers").id()).isEqualTo(FIXTURE_ID);
    }

    @Test
    void survivesAReopen() throws Exception {
        load("layers.docker-archive.tar");
        images.tag("berth-fixture:layers", "other/name", "v1");
        reopen();
        assertThat(images.inspect("other/name:v1").id()).isEqualTo(FIXTURE_ID);
        assertThat(images.list(false, Filters.NONE, false)).hasSize(1);
        assertThat(images.list(false, Filters.NONE, false).getFirst().repoTags())
                .containsExactlyInAnyOrder("berth-fixture:layers", "other/name:v1");
    }

    @Test
    void removingByIdWithTwoNamesNeedsForce() throws Exception {
        load("layers.docker-archive.tar");
        images.tag("berth-fixture:layers", "second", null);
        assertThatThrownBy(() -> images.remove(FIXTURE_ID.substring(7, 19), false, false))
                .isInstanceOf(BerthException.Conflict.class).hasMessageContaining("must be forced");
        List<ImageDeleteItem> out = images.remove(FIXTURE_ID.substring(7, 19), true, false);
        assertThat(out).contains(ImageDeleteItem.untagged("second:latest"), ImageDeleteItem.untagged("berth-fixture:layers"),
                ImageDeleteItem.deleted(FIXTURE_ID));
    }

    @Test
    void garbageLeavesNothingBehind() throws Exception {
        byte[] garbage = new byte[4096];
        new java.util.Random(1).nextBytes(garbage);
        assertThatThrownBy(() -> images.load(new ByteArrayInputStream(garbage), true, m -> {}))
                .isInstanceOf(BerthException.InvalidArgument.class);
        assertThat(store.count()).isZero();
        assertThat(store.content().list()).isEmpty();
    }

    @Test
    void importsAHealthcheckChangeParsedAsTheDockerfilesAndRefusesABadOne() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (var w = new io.berth.engine.archive.TarWriter(tar)) {
            w.addBytes("hello.txt", "hi\n".getBytes(), java.time.Instant.EPOCH);
        }
        images.importImage(new ImageService.ImportRequest(new ByteArrayInputStream(tar.toByteArray()), "-", "hc", "v1", "",
                List.of("HEALTHCHECK --interval=5s --retries=2 CMD wget -q localhost"), null), m -> {});
        assertThat(io.berth.api.Json.wire().writeValueAsString(images.inspect("hc:v1").config().healthcheck()))
                .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"wget -q localhost\"],\"Interval\":5000000000,\"Retries\":2}");
        images.importImage(new ImageService.ImportRequest(new ByteArrayInputStream(tar.toByteArray()), "-", "hc", "v2", "",
                List.of("HEALTHCHECK NONE"), null), m -> {});
        assertThat(io.berth.api.Json.wire().writeValueAsString(images.inspect("hc:v2").config().healthcheck()))
                .isEqualTo("{\"Test\":[\"NONE\"]}");
        assertThatThrownBy(() -> images.importImage(new ImageService.ImportRequest(new ByteArrayInputStream(tar.toByteArray()), "-",
                null, null, null, List.of("HEALTHCHECK FOO x"), null), m -> {}))
                .hasMessage("Unknown type \"FOO\" in HEALTHCHECK (try CMD)");
    }

    @Test
    void importsWithChanges() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (var w = new io.berth.engine.archive.TarWriter(tar)) {
            w.addBytes("hello.txt", "hi\n".getBytes(), java.time.Instant.EPOCH);
        }
        List<JsonMessage> msgs = new ArrayList<>();
        images.importImage(new ImageService.ImportRequest(new ByteArrayInputStream(tar.toByteArray()), "-", "imported", "v1", "",
                List.of("CMD [\"sh\"]", "ENV A=b C=d", "EXPOSE 80", "WORKDIR /srv", "LABEL x=y"), null), msgs::add);
        ImageInspect img = images.inspect("imported:v1");
        assertThat(msgs.getLast().status()).isEqualTo(img.id());
        assertThat(img.config().cmd()).containsExactly("sh");
        assertThat(img.config().env()).containsExactly("A=b", "C=d");
        assertThat(img.config().exposedPorts()).containsKey("80/tcp");
        assertThat(img.config().workingDir()).isEqualTo("/srv");
        assertThat(img.comment()).isEqualTo("Imported from -");
        assertThatThrownBy(() -> images.importImage(new ImageService.ImportRequest(new ByteArrayInputStream(tar.toByteArray()), "-",
                null, null, null, List.of("RUN true"), null), m -> {})).hasMessage("RUN is not a valid change command");
    }

    @Test
    void emitsImageEvents() throws Exception {
        try (var sub = events.subscribe(e -> true, e -> false)) {
            load("layers.docker-archive.tar");
            images.tag("berth-fixture:layers", "x", "1");
            images.remove("x:1", false, false);
            List<String> actions = new ArrayList<>();
            for (EventMessage e; (e = sub.next(Duration.ofMillis(50))) != null; ) actions.add(e.action());
            assertThat(actions).containsExactly("load", "tag", "untag");
        }
    }

    @Test
    void filtersTheList() throws Exception {
        load("layers.docker-archive.tar");
        assertThat(images.list(false, Filters.ofPairs(List.of("dangling=true")), false)).isEmpty();
        assertThat(images.list(false, Filters.ofPairs(List.of("reference=berth-*")), false)).hasSize(1);
        assertThat(images.list(false, Filters.ofPairs(List.of("reference=nope*")), false)).isEmpty();
        assertThat(images.list(false, Filters.ofPairs(List.of("label=org.example.fixture=layers")), false)).hasSize(1);
        assertThat(images.list(false, Filters.ofPairs(List.of("label=org.example.fixture=other")), false)).isEmpty();
        assertThatThrownBy(() -> images.list(false, Filters.ofPairs(List.of("bogus=1")), false)).hasMessage("invalid filter 'bogus'");
    }
}
