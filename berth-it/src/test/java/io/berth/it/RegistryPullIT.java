package io.berth.it;

import static io.berth.it.support.Images.FIXTURE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Images;
import io.berth.it.support.LocalRegistry;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, pull through the real docker CLI from a local distribution 2.8 seeded by skopeo (independently of Berth):
 * by tag, by digest, all tags, platforms of a manifest list, OCI manifests, "Already exists", "Image is up to date",
 * RepoDigests, {@code docker run} of an image that is not local, {@code /distribution/{name}/json}, search's error.
 */
class RegistryPullIT {
    private static final String SCHEMA2 = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static LocalRegistry registry;
    static String host;

    @BeforeAll
    static void seed() throws Exception {
        registry = LocalRegistry.plain();
        host = registry.host();
        String docker = "docker-archive:" + Project.fixture("layers.docker-archive.tar");
        registry.seed(docker, "fixture/layers:v1");
        registry.seed(docker, "fixture/layers:v2");
        registry.seed(docker, "fixture/copy:v1");
        registry.seed("oci-archive:" + Project.fixture("layers.oci-archive.tar"), "fixture/oci:v1");
        seedManifestList();
    }

    /** {@code multi/app:v1}: a manifest list of the fixture (linux/amd64) and the same layers as linux/arm64/v8. */
    private static void seedManifestList() throws Exception {
        byte[] amd64 = registry.getBytes("fixture/layers/manifests/v1", SCHEMA2, "repository:fixture/layers:pull");
        JsonNode m = Images.parse(new String(amd64, StandardCharsets.UTF_8));
        byte[] config = registry.getBytes("fixture/layers/blobs/" + m.path("config").path("digest").asText(), null,
                "repository:fixture/layers:pull");
        for (JsonNode l : m.path("layers")) {
            registry.putBlob("multi/app", registry.getBytes("fixture/layers/blobs/" + l.path("digest").asText(), null,
                    "repository:fixture/layers:pull"));
        }
        registry.putBlob("multi/app", config);
        String amd64Digest = registry.putManifest("multi/app", "amd64", SCHEMA2, amd64);
        ObjectNode armConfig = (ObjectNode) Images.parse(new String(config, StandardCharsets.UTF_8));
        armConfig.put("architecture", "arm64").put("variant", "v8");
        byte[] armConfigBytes = armConfig.toString().getBytes(StandardCharsets.UTF_8);
        String armConfigDigest = registry.putBlob("multi/app", armConfigBytes);
        ObjectNode arm = (ObjectNode) m.deepCopy();
        ((ObjectNode) arm.path("config")).put("digest", armConfigDigest).put("size", armConfigBytes.length);
        byte[] armBytes = arm.toString().getBytes(StandardCharsets.UTF_8);
        String armDigest = registry.putManifest("multi/app", "arm64", SCHEMA2, armBytes);
        String list = """
                {"schemaVersion":2,"mediaType":"%s","manifests":[
                 {"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
                 {"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"amd64","os":"linux"}}]}"""
                .formatted(LIST, SCHEMA2, armDigest, armBytes.length, SCHEMA2, amd64Digest, amd64.length);
        registry.putManifest("multi/app", "v1", LIST, list.getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) registry.close();
    }

    @AfterEach
    void removeAll() {
        daemon.docker().run("rm", "-f", "pulled-run");
        Images.removeAll(daemon.docker());
    }

    @Test
    void pullByTagThenUpToDate() {
        String ref = host + "/fixture/layers:v1";
        String digest = registry.manifestDigest("fixture/layers", "v1");
        Result r = daemon.docker().run("pull", ref).ok();
        assertThat(r.lines()).startsWith("v1: Pulling from fixture/layers");
        assertThat(r.lines()).filteredOn(l -> l.endsWith(": Pull complete")).hasSize(3);
        assertThat(r.lines()).contains("Digest: " + digest, "Status: Downloaded newer image for " + ref);
        assertThat(r.lines().getLast()).isEqualTo(ref);
        JsonNode img = Images.inspect(daemon.docker(), ref);
        assertThat(img.path("Id").asText()).isEqualTo(FIXTURE_ID);
        assertThat(img.path("RepoDigests").toString()).contains(host + "/fixture/layers@" + digest);
        assertThat(daemon.docker().ok("images", "--digests", "--format", "{{.Repository}} {{.Tag}} {{.Digest}}"))
                .contains(host + "/fixture/layers v1 " + digest);
        assertThat(daemon.docker().ok("run", "--rm", ref).strip()).isEqualTo("one");

        Result again = daemon.docker().run("pull", ref).ok();
        assertThat(again.lines()).contains("Status: Image is up to date for " + ref);
        assertThat(again.out()).doesNotContain("Pull complete");
    }

    @Test
    void layersAlreadyPresentAreNotFetchedAgain() {
        daemon.docker().run("pull", host + "/fixture/layers:v1").ok();
        // another image (its own config) over the same layers
        Result r = daemon.docker().run("pull", host + "/multi/app:arm64").ok();
        assertThat(r.lines()).as(r.toString()).filteredOn(l -> l.endsWith(": Already exists")).hasSize(3);
        assertThat(r.out()).doesNotContain("Pull complete");
        assertThat(r.lines()).contains("Status: Downloaded newer image for " + host + "/multi/app:arm64");
    }

    @Test
    void anImageAlreadyPresentUnderAnotherNameIsOnlyTagged() {
        daemon.docker().run("pull", host + "/fixture/layers:v1").ok();
        Result r = daemon.docker().run("pull", host + "/fixture/copy:v1").ok();
        assertThat(r.out()).as(r.toString()).doesNotContain("Pull complete").doesNotContain("Already exists");
        assertThat(r.lines()).contains("Status: Downloaded newer image for " + host + "/fixture/copy:v1");
        assertThat(Images.inspect(daemon.docker(), host + "/fixture/copy:v1").path("Id").asText()).isEqualTo(FIXTURE_ID);
    }

    @Test
    void pullByDigest() {
        String digest = registry.manifestDigest("fixture/layers", "v1");
        String ref = host + "/fixture/layers@" + digest;
        Result r = daemon.docker().run("pull", ref).ok();
        assertThat(r.lines()).startsWith(digest.substring(0, 7 + 64) + ": Pulling from fixture/layers");
        assertThat(r.lines().getLast()).isEqualTo(ref);
        assertThat(Images.inspect(daemon.docker(), ref).path("Id").asText()).isEqualTo(FIXTURE_ID);
        assertThat(daemon.docker().ok("images", "--format", "{{.Repository}}:{{.Tag}}")).doesNotContain("fixture/layers:v1");
    }

    @Test
    void pullAllTags() {
        Result r = daemon.docker().run("pull", "-a", host + "/fixture/layers").ok();
        assertThat(r.lines().getLast()).isEqualTo(host + "/fixture/layers");
        String tags = daemon.docker().ok("images", "--format", "{{.Repository}}:{{.Tag}}");
        assertThat(tags).contains(host + "/fixture/layers:v1", host + "/fixture/layers:v2");
    }

    @Test
    void manifestListsSelectThePlatform() {
        String ref = host + "/multi/app:v1";
        daemon.docker().run("pull", ref).ok();
        JsonNode amd = Images.inspect(daemon.docker(), ref);
        assertThat(amd.path("Id").asText()).isEqualTo(FIXTURE_ID);
        assertThat(amd.path("Architecture").asText()).isEqualTo("amd64");
        assertThat(amd.path("RepoDigests").toString()).contains(host + "/multi/app@" + registry.manifestDigest("multi/app", "v1"));

        daemon.docker().run("pull", "--platform", "linux/arm64/v8", ref).ok();
        JsonNode arm = Images.inspect(daemon.docker(), ref);
        assertThat(arm.path("Architecture").asText()).isEqualTo("arm64");
        assertThat(arm.path("Variant").asText()).isEqualTo("v8");

        Result none = daemon.docker().run("pull", "--platform", "linux/s390x", ref);
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no matching manifest for linux/s390x in the manifest list entries");
    }

    @Test
    void ociManifestsPullAndRun() {
        String ref = host + "/fixture/oci:v1";
        daemon.docker().run("pull", ref).ok();
        assertThat(daemon.docker().ok("run", "--rm", ref).strip()).isEqualTo("one");
        assertThat(Images.inspect(daemon.docker(), ref).path("RepoDigests").toString())
                .contains(host + "/fixture/oci@" + registry.manifestDigest("fixture/oci", "v1"));
    }

    @Test
    void runPullsAnImageThatIsNotLocal() {
        String ref = host + "/fixture/layers:v2";
        Result r = daemon.docker().run("run", "--name", "pulled-run", ref).ok();
        assertThat(r.out().strip()).isEqualTo("one");
        assertThat(r.err()).contains("Unable to find image '" + ref + "' locally").contains("Pull complete");
    }

    @Test
    void missingTagsAndRepositoriesFailWithDockersMessages() {
        Result tag = daemon.docker().run("pull", host + "/fixture/layers:nope");
        assertThat(tag.exit()).isEqualTo(1);
        assertThat(tag.err()).contains("manifest for " + host + "/fixture/layers:nope not found");
        Result repo = daemon.docker().run("pull", host + "/no/such/repo:v1");
        assertThat(repo.exit()).isEqualTo(1);
        assertThat(repo.err()).startsWith("Error response from daemon: ");
    }

    @Test
    void distributionInspectShowsTheRegistrysDescriptorAndPlatforms() {
        JsonNode d = daemon.http().get("/distribution/" + host + "/multi/app:v1/json").json();
        assertThat(d.path("Descriptor").path("digest").asText()).isEqualTo(registry.manifestDigest("multi/app", "v1"));
        assertThat(d.path("Descriptor").path("mediaType").asText()).isEqualTo(LIST);
        assertThat(d.path("Platforms").toString()).contains("\"arm64\"", "\"amd64\"");
    }

    @Test
    void localhostIsAnInsecureRegistryByDefault() {
        String ref = "localhost:" + registry.port() + "/fixture/layers:v1";
        Result r = daemon.docker().run("pull", ref).ok();
        assertThat(r.lines()).contains("Status: Downloaded newer image for " + ref);
        assertThat(Images.inspect(daemon.docker(), ref).path("RepoDigests").toString())
                .contains("localhost:" + registry.port() + "/fixture/layers@" + registry.manifestDigest("fixture/layers", "v1"));
    }

    @Test
    void berthCliPulls() {
        String ref = host + "/fixture/layers:v1";
        Result r = daemon.berth().run("pull", ref).ok();
        assertThat(r.lines()).contains("v1: Pulling from fixture/layers", "Status: Downloaded newer image for " + ref);
        assertThat(r.lines().getLast()).isEqualTo(ref);
        assertThat(Images.inspect(daemon.docker(), ref).path("Id").asText()).isEqualTo(FIXTURE_ID);
    }

    @Test
    void searchAgainstARegistryWithoutTheEndpointFailsClearly() {
        Result r = daemon.docker().run("search", host + "/fixture");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("Error response from daemon: Unexpected status code 404");
    }
}
