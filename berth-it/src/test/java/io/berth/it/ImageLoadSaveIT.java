package io.berth.it;

import static io.berth.it.support.Images.FIXTURE_ID;
import static io.berth.it.support.Images.FIXTURE_REF;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Cmd;
import io.berth.it.support.Images;
import io.berth.it.support.Mounts;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 2: {@code docker load} of the interop fixtures, the unpacked tree, {@code docker save} round trips. */
class ImageLoadSaveIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @AfterEach
    void removeAll() {
        Images.removeAll(daemon.docker());
    }

    @Test
    void loadDockerArchiveFixture() throws Exception {
        Result r = daemon.docker().run("load", "-i", Project.fixture("layers.docker-archive.tar").toString()).ok();
        assertThat(r.out()).contains("Loaded image: " + FIXTURE_REF);
        JsonNode img = Images.inspect(daemon.docker(), FIXTURE_REF);
        assertThat(img.path("Id").asText()).isEqualTo(FIXTURE_ID);
        assertFixtureConfig(img);
        assertFixtureTree(img);
    }

    @Test
    void loadOciArchiveFixture() throws Exception {
        Result r = daemon.docker().run("load", "-i", Project.fixture("layers.oci-archive.tar").toString()).ok();
        assertThat(r.out()).contains("Loaded image: " + FIXTURE_REF);
        JsonNode img = Images.inspect(daemon.docker(), FIXTURE_REF);
        assertFixtureConfig(img);
        assertFixtureTree(img);
    }

    @Test
    void loadFromStdin() {
        Result r = daemon.docker().call("load").stdin(Project.fixture("layers.docker-archive.tar")).run().ok();
        assertThat(r.out()).contains("Loaded image: " + FIXTURE_REF);
        assertThat(Images.inspect(daemon.docker(), FIXTURE_REF).path("Id").asText()).isEqualTo(FIXTURE_ID);
    }

    @Test
    void loadingTwiceIsIdempotent() {
        daemon.docker().ok("load", "-i", Project.fixture("layers.docker-archive.tar").toString());
        long blobs = Images.bytesUnder(daemon.dataRoot().resolve("content/blobs"));
        daemon.docker().ok("load", "-i", Project.fixture("layers.docker-archive.tar").toString());
        assertThat(Images.allIds(daemon.docker())).containsExactly(FIXTURE_ID);
        assertThat(Images.bytesUnder(daemon.dataRoot().resolve("content/blobs"))).isEqualTo(blobs);
    }

    @Test
    void saveRmiLoadKeepsTheImageId() throws Exception {
        daemon.docker().ok("load", "-i", Project.fixture("layers.docker-archive.tar").toString());
        String imported = Images.importBusybox(daemon.docker(), "roundtrip:imported", "CMD [\"sh\"]");
        Path dir = Files.createTempDirectory(daemon.scratch(), "save");

        for (String ref : List.of(FIXTURE_REF, "roundtrip:imported")) {
            String id = Images.inspect(daemon.docker(), ref).path("Id").asText();
            Path tar = dir.resolve(ref.replace(':', '_') + ".tar");
            daemon.docker().ok("save", "-o", tar.toString(), ref);
            assertThat(Files.size(tar)).isGreaterThan(1024);
            daemon.docker().ok("rmi", ref);
            assertThat(daemon.docker().run("image", "inspect", ref).exit()).isNotZero();
            Result load = daemon.docker().run("load", "-i", tar.toString()).ok();
            assertThat(load.out()).contains("Loaded image: " + ref);
            assertThat(Images.inspect(daemon.docker(), ref).path("Id").asText()).isEqualTo(id);
        }
        assertThat(Images.inspect(daemon.docker(), "roundtrip:imported").path("Id").asText()).isEqualTo(imported);
        assertFixtureTree(Images.inspect(daemon.docker(), FIXTURE_REF));
    }

    @Test
    void saveToStdoutWorks() throws Exception {
        daemon.docker().ok("load", "-i", Project.fixture("layers.docker-archive.tar").toString());
        Path tar = daemon.scratch().resolve("stdout.tar");
        Result r = Cmd.of("sh", "-c", "docker -H \"$1\" save \"$2\" > \"$3\"", "sh", daemon.host(), FIXTURE_REF, tar.toString())
                .env("DOCKER_CONFIG", daemon.scratch().toString()).run().ok();
        assertThat(r.err()).isEmpty();
        assertThat(Cmd.of("tar", "-tf", tar.toString()).run().ok().out()).contains("manifest.json");
    }

    @Test
    void saveTwoImagesToOneTar() throws Exception {
        daemon.docker().ok("load", "-i", Project.fixture("layers.docker-archive.tar").toString());
        String bb = Images.importBusybox(daemon.docker(), "pair:busybox");
        Path tar = daemon.scratch().resolve("pair.tar");
        daemon.docker().ok("save", "-o", tar.toString(), FIXTURE_REF, "pair:busybox");
        daemon.docker().ok("rmi", FIXTURE_REF, "pair:busybox");
        assertThat(Images.allIds(daemon.docker())).isEmpty();

        Result load = daemon.docker().run("load", "-i", tar.toString()).ok();
        assertThat(load.out()).contains("Loaded image: " + FIXTURE_REF).contains("Loaded image: pair:busybox");
        assertThat(Images.inspect(daemon.docker(), FIXTURE_REF).path("Id").asText()).isEqualTo(FIXTURE_ID);
        assertThat(Images.inspect(daemon.docker(), "pair:busybox").path("Id").asText()).isEqualTo(bb);
    }

    @Test
    void skopeoReadsWhatBerthSaved() throws Exception {
        daemon.docker().ok("load", "-i", Project.fixture("layers.docker-archive.tar").toString());
        Path tar = daemon.scratch().resolve("skopeo.tar");
        daemon.docker().ok("save", "-o", tar.toString(), FIXTURE_REF);

        Result inspect = Cmd.of("skopeo", "inspect", "docker-archive:" + tar).run().ok();
        JsonNode info = Images.parse(inspect.out());
        assertThat(info.path("Layers").size()).isEqualTo(3);
        assertThat(info.path("Env").toString()).contains("FOO=bar");
        assertThat(info.path("Labels").path("org.example.fixture").asText()).isEqualTo("layers");

        Result config = Cmd.of("skopeo", "inspect", "--config", "docker-archive:" + tar).run().ok();
        assertThat(Images.parse(config.out()).path("config").path("WorkingDir").asText()).isEqualTo("/data");

        // skopeo can copy it on (reads every blob and checks its digest)
        Path oci = daemon.scratch().resolve("copied-oci");
        Cmd.of("skopeo", "copy", "docker-archive:" + tar, "oci:" + oci + ":copied").run().ok();
        assertThat(oci.resolve("index.json")).exists();
    }

    static void assertFixtureConfig(JsonNode img) {
        JsonNode c = img.path("Config");
        assertThat(c.path("Env").toString()).contains("FOO=bar");
        assertThat(c.path("WorkingDir").asText()).isEqualTo("/data");
        assertThat(c.path("Cmd").toString()).isEqualTo("[\"cat\",\"/data/a\"]");
        assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(c.path("Labels").path("org.example.fixture").asText()).isEqualTo("layers");
        assertThat(img.path("RootFS").path("Layers").size()).isEqualTo(3);
        assertThat(img.path("RepoTags").toString()).contains(FIXTURE_REF);
    }

    /** Mounts a read-only overlay of the image's layer dirs (UpperDir on top of LowerDir) and checks the tree. */
    static void assertFixtureTree(JsonNode img) throws Exception {
        JsonNode data = img.path("GraphDriver").path("Data");
        assertThat(img.path("GraphDriver").path("Name").asText()).isEqualTo("overlay2");
        String upper = data.path("UpperDir").asText("");
        String lower = data.path("LowerDir").asText("");
        assertThat(upper).as("GraphDriver.Data.UpperDir").isNotEmpty();
        assertThat(lower).as("GraphDriver.Data.LowerDir").isNotEmpty();
        assertThat(lower.split(":")).hasSize(2);
        for (String d : (upper + ":" + lower).split(":")) {
            assertThat(Path.of(d)).as("layer dir").isDirectory();
        }
        Path mnt = Files.createTempDirectory(daemon.scratch(), "mnt");
        Mounts.mountOverlayReadOnly(upper + ":" + lower, mnt);
        try {
            Path dataDir = mnt.resolve("data");
            assertThat(names(dataDir)).containsExactlyInAnyOrder("a", "hard", "link", "sub");
            Path a = dataDir.resolve("a");
            Path hard = dataDir.resolve("hard");
            assertThat(Files.readString(a)).isEqualTo("one\n"); // the fixture wrote it with echo
            assertThat(Files.getAttribute(a, "unix:ino")).isEqualTo(Files.getAttribute(hard, "unix:ino"));
            assertThat((Integer) Files.getAttribute(a, "unix:nlink")).isEqualTo(2);
            assertThat((Integer) Files.getAttribute(a, "unix:mode") & 07777).isEqualTo(0640);
            assertThat(Files.isSymbolicLink(dataDir.resolve("link"))).isTrue();
            assertThat(Files.readSymbolicLink(dataDir.resolve("link")).toString()).isEqualTo("/data/a");
            assertThat(names(dataDir.resolve("sub"))).containsExactly("c");
            assertThat(Files.readString(dataDir.resolve("sub/c"))).isEqualTo("new\n");
            assertThat(Files.exists(dataDir.resolve("gone"), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(Files.exists(mnt.resolve("etc/group"), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(mnt.resolve("etc/passwd")).isRegularFile();
            assertThat(mnt.resolve("bin/busybox")).isRegularFile();
            assertThat((Integer) Files.getAttribute(mnt.resolve("tmp"), "unix:mode") & 07777).isEqualTo(01777);
            // no whiteout markers leak into the merged view
            try (Stream<Path> s = Files.walk(mnt)) {
                assertThat(s.map(p -> p.getFileName() == null ? "" : p.getFileName().toString())
                        .filter(n -> n.startsWith(".wh.")).toList()).isEmpty();
            }
        } finally {
            Mounts.umount(mnt);
            Files.delete(mnt);
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
