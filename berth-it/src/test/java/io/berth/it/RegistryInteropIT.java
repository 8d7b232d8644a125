package io.berth.it;

import static io.berth.it.support.Images.FIXTURE_ID;
import static io.berth.it.support.Images.FIXTURE_REF;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.BerthRegistry;
import io.berth.it.support.Cmd;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Dockerd;
import io.berth.it.support.LocalRegistry;
import io.berth.it.support.OciDataSets;
import io.berth.it.support.OciDataSets.Blob;
import io.berth.it.support.OciDataSets.DataSet;
import io.berth.it.support.OciDataSets.Doc;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Interop with {@code berth registry}: the real docker CLI through berthd and through Debian's dockerd pushes to and
 * pulls from it, without and with login (htpasswd Basic, and Docker's token flow against its own {@code /token});
 * skopeo copy/inspect/list-tags/delete, {@code copy --all} of a
 * multi-arch index, and zstd layers.
 */
class RegistryInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static BerthRegistry open;
    static BerthRegistry locked;
    static BerthRegistry tokens;
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        open = BerthRegistry.plain();
        dir = Files.createTempDirectory("berth-it-interop-");
        Path htpasswd = BerthRegistry.htpasswd(dir, "alice", "alice-pw");
        locked = BerthRegistry.withArgs(BerthRegistry.freePort(), List.of("--htpasswd", htpasswd.toString()));
        int port = BerthRegistry.freePort();
        String realm = "http://127.0.0.1:" + port + "/token";
        tokens = BerthRegistry.withArgs(port, List.of("--htpasswd", htpasswd.toString(), "--token-realm", realm));
    }

    @AfterAll
    static void stop() throws IOException {
        if (open != null) open.close();
        if (locked != null) locked.close();
        if (tokens != null) tokens.close();
        BerthDaemon.deleteTree(dir);
    }

    static Result skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return new Cmd(cmd).timeout(Duration.ofSeconds(120)).run();
    }

    /** Pushes the fixture through {@code docker} to {@code ref}, removes it, pulls it back and checks the image ID. */
    static void pushPullRoundTrip(DockerCli docker, String ref) {
        docker.run("load", "-i", Project.fixture("layers.docker-archive.tar").toString()).ok();
        docker.ok("tag", FIXTURE_REF, ref);
        Result push = docker.run("push", ref).ok();
        assertThat(push.out()).contains("digest: sha256:");
        docker.ok("rmi", ref, FIXTURE_REF);
        docker.run("pull", ref).ok();
        assertThat(docker.ok("image", "inspect", "--format", "{{.Id}}", ref).strip()).isEqualTo(FIXTURE_ID);
        docker.ok("rmi", ref);
    }

    /** Login (Basic with {@code --htpasswd}, Docker's token flow with {@code --token-realm}), push, pull, logout. */
    static void loginRoundTrip(DockerCli docker, BerthRegistry locked, String repo) {
        String ref = locked.host() + "/" + repo + ":v1";
        docker.run("load", "-i", Project.fixture("layers.docker-archive.tar").toString()).ok();
        docker.ok("tag", FIXTURE_REF, ref);
        // anonymous: refused (skopeo; the docker CLI would prompt for a login)
        Result anonymous = skopeo("copy", "--quiet", "--dest-tls-verify=false",
                "docker-archive:" + Project.fixture("layers.docker-archive.tar"), "docker://" + ref);
        assertThat(anonymous.exit()).as(anonymous.toString()).isNotZero();
        assertThat(anonymous.err().toLowerCase()).containsAnyOf("auth", "denied");
        Result wrong = docker.call("login", "-u", "alice", "--password-stdin", locked.host()).stdin("nope".getBytes()).run();
        assertThat(wrong.exit()).as(wrong.toString()).isNotZero();
        docker.call("login", "-u", "alice", "--password-stdin", locked.host()).stdin("alice-pw".getBytes()).run().ok();
        docker.run("rmi", FIXTURE_REF);
        pushPullRoundTrip(docker, ref);
        docker.run("logout", locked.host()).ok();
    }

    @Test
    void dockerThroughBerthdPushesAndPulls() {
        pushPullRoundTrip(daemon.docker(), open.host() + "/interop/berthd:v1");
        pushPullRoundTrip(daemon.docker(), open.host() + "/interop/nested/path/berthd:v2");
    }

    @Test
    void dockerThroughBerthdWithLogin() {
        loginRoundTrip(daemon.docker(), locked, "interop/berthd-login");
        loginRoundTrip(daemon.docker(), tokens, "interop/berthd-token");
    }

    @Test
    void dockerThroughDockerdPushesAndPullsWithAndWithoutLogin() {
        try (Dockerd dockerd = Dockerd.start()) {
            pushPullRoundTrip(dockerd.docker(), open.host() + "/interop/dockerd:v1");
            loginRoundTrip(dockerd.docker(), locked, "interop/dockerd-login");
            loginRoundTrip(dockerd.docker(), tokens, "interop/dockerd-token");
        }
    }

    @Test
    void skopeoCopyInspectListTagsDelete() throws IOException {
        String dest = "docker://" + open.host() + "/interop/skopeo";
        skopeo("copy", "--quiet", "--dest-tls-verify=false", "docker-archive:" + Project.fixture("layers.docker-archive.tar"), dest + ":v1").ok();
        skopeo("copy", "--quiet", "--dest-tls-verify=false", "oci-archive:" + Project.fixture("layers.oci-archive.tar"), dest + ":oci").ok();
        JsonNode inspect = JSON.readTree(skopeo("inspect", "--tls-verify=false", dest + ":v1").ok().out());
        assertThat(inspect.path("Layers").size()).isPositive();
        JsonNode tags = JSON.readTree(skopeo("list-tags", "--tls-verify=false", dest).ok().out());
        assertThat(tags.path("Tags").toString()).contains("\"v1\"").contains("\"oci\"");
        Path out = dir.resolve("skopeo-out");
        skopeo("copy", "--quiet", "--src-tls-verify=false", dest + ":v1", "oci:" + out + ":v1").ok();
        assertThat(Files.exists(out.resolve("index.json"))).isTrue();
        // skopeo's blob cache may reuse the same compressed layers for both tags: then they share one manifest
        boolean shared = digestOf(dest + ":v1").equals(digestOf(dest + ":oci"));
        skopeo("delete", "--tls-verify=false", dest + ":oci").ok();
        Result gone = skopeo("inspect", "--tls-verify=false", dest + ":oci");
        assertThat(gone.exit()).as(gone.toString()).isNotZero();
        Result kept = skopeo("inspect", "--tls-verify=false", dest + ":v1");
        assertThat(kept.exit() == 0).as(kept.toString()).isEqualTo(!shared);
    }

    static String digestOf(String ref) {
        return skopeo("inspect", "--tls-verify=false", "--format", "{{.Digest}}", ref).ok().out().strip();
    }

    @Test
    void skopeoCopyAllOfAMultiArchIndex() throws IOException {
        // an index of two platforms, built with the conformance data set and staged on docker-registry
        DataSet ds = OciDataSets.named("index");
        try (LocalRegistry staging = LocalRegistry.plain()) {
            for (Blob b : ds.blobs()) staging.putBlob("multi/arch", b.content());
            for (Doc d : ds.docs()) staging.putManifest("multi/arch", d.digest(), d.mediaType(), d.content());
            staging.putManifest("multi/arch", "v1", ds.last().mediaType(), ds.last().content());
            skopeo("copy", "--quiet", "--all", "--src-tls-verify=false", "--dest-tls-verify=false",
                    "docker://" + staging.host() + "/multi/arch:v1", "docker://" + open.host() + "/interop/multi:v1").ok();
        }
        // skopeo re-describes the (random, not really gzip) layers, so compare the structure, not the bytes
        JsonNode index = JSON.readTree(skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + open.host() + "/interop/multi:v1").ok().out());
        assertThat(index.path("mediaType").asText()).isEqualTo(OciDataSets.OCI_INDEX);
        List<String> arches = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) {
            arches.add(m.path("platform").path("architecture").asText());
            JsonNode child = JSON.readTree(skopeo("inspect", "--raw", "--tls-verify=false",
                    "docker://" + open.host() + "/interop/multi@" + m.path("digest").asText()).ok().out());
            assertThat(child.path("layers").size()).isEqualTo(1);
        }
        assertThat(arches).containsExactly("amd64", "arm64");
        Path out = dir.resolve("multi-out");
        skopeo("copy", "--quiet", "--all", "--src-tls-verify=false", "docker://" + open.host() + "/interop/multi:v1", "oci:" + out + ":v1").ok();
        assertThat(JSON.readTree(out.resolve("index.json").toFile()).path("manifests").size()).isEqualTo(1);
    }

    @Test
    void skopeoZstdLayers() throws IOException {
        String dest = "docker://" + open.host() + "/interop/zstd:v1";
        skopeo("copy", "--quiet", "--dest-tls-verify=false", "--dest-compress-format", "zstd", "--dest-compress",
                "--format", "oci", "docker-archive:" + Project.fixture("layers.docker-archive.tar"), dest).ok();
        JsonNode manifest = JSON.readTree(skopeo("inspect", "--raw", "--tls-verify=false", dest).ok().out());
        for (JsonNode layer : manifest.path("layers")) {
            assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
        }
        Path out = dir.resolve("zstd-out");
        skopeo("copy", "--quiet", "--src-tls-verify=false", dest, "oci:" + out + ":v1").ok();
        // berthd pulls zstd layers too
        daemon.docker().run("pull", open.host() + "/interop/zstd:v1").ok();
        daemon.docker().ok("rmi", open.host() + "/interop/zstd:v1");
    }
}
