package io.berth.it;

import static io.berth.it.support.Images.FIXTURE_ID;
import static io.berth.it.support.Images.FIXTURE_REF;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Cmd;
import io.berth.it.support.Images;
import io.berth.it.support.LocalRegistry;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, push through the real docker CLI to a local distribution 2.8: the digest printed is the registry's,
 * "Layer already exists" on a repeat, "Mounted from" across repositories, nested paths, an image made by import
 * pushed twice with the same compressed layers, the error for an image that is not local; skopeo reads what was pushed.
 */
class RegistryPushIT {
    private static final Pattern DIGEST_LINE = Pattern.compile("(\\S+): digest: (sha256:[0-9a-f]{64}) size: (\\d+)");

    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static LocalRegistry registry;
    static String host;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.plain();
        host = registry.host();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) registry.close();
    }

    @AfterEach
    void removeAll() {
        Images.removeAll(daemon.docker());
    }

    private static void loadFixtureAs(String ref) {
        daemon.docker().run("load", "-i", Project.fixture("layers.docker-archive.tar").toString()).ok();
        daemon.docker().ok("tag", FIXTURE_REF, ref);
    }

    /** Asserts the "tag: digest: … size: …" line matches what the registry stores, and returns the digest. */
    private static String assertDigestLine(Result r, String repo, String tag) { return assertDigestLine(registry, r, repo, tag); }

    private static String assertDigestLine(LocalRegistry registry, Result r, String repo, String tag) {
        Matcher m = r.lines().stream().map(DIGEST_LINE::matcher).filter(Matcher::matches).findFirst()
                .orElseThrow(() -> new AssertionError("no digest line in " + r));
        assertThat(m.group(1)).isEqualTo(tag);
        assertThat(m.group(2)).isEqualTo(registry.manifestDigest(repo, tag));
        byte[] stored = registry.getBytes(repo + "/manifests/" + tag, String.join(",",
                "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"));
        assertThat(Long.parseLong(m.group(3))).isEqualTo(stored.length);
        return m.group(2);
    }

    @Test
    void pushNestedPathThenLayerAlreadyExistsThenMountedFrom() {
        // a registry of its own: no layer of the fixture is there yet, or known by the daemon to be there
        try (LocalRegistry own = LocalRegistry.plain()) {
            pushThenAlreadyExistsThenMounted(own);
        }
    }

    private static void pushThenAlreadyExistsThenMounted(LocalRegistry registry) {
        String host = registry.host();
        String ref = host + "/team/app/nested:v1";
        loadFixtureAs(ref);
        Result r = daemon.docker().run("push", ref).ok();
        assertThat(r.lines()).startsWith("The push refers to repository [" + host + "/team/app/nested]");
        assertThat(r.lines()).as(r.toString()).filteredOn(l -> l.endsWith(": Pushed")).hasSize(3);
        String digest = assertDigestLine(registry, r, "team/app/nested", "v1");
        JsonNode img = Images.inspect(daemon.docker(), ref);
        assertThat(img.path("RepoDigests").toString()).contains(host + "/team/app/nested@" + digest);

        Result again = daemon.docker().run("push", ref).ok();
        assertThat(again.lines()).as(again.toString()).filteredOn(l -> l.endsWith(": Layer already exists")).hasSize(3);
        assertThat(assertDigestLine(registry, again, "team/app/nested", "v1")).isEqualTo(digest);

        String other = host + "/other/app:v1";
        daemon.docker().ok("tag", ref, other);
        Result mounted = daemon.docker().run("push", other).ok();
        assertThat(mounted.lines()).as(mounted.toString()).filteredOn(l -> l.endsWith(": Mounted from team/app/nested")).hasSize(3);
        assertThat(assertDigestLine(registry, mounted, "other/app", "v1")).isEqualTo(digest);

        Result inspect = new Cmd(List.of("skopeo", "inspect", "--tls-verify=false", "--config", "docker://" + ref)).run().ok();
        assertThat(Images.parse(inspect.out()).path("config").path("Cmd").toString()).isEqualTo("[\"cat\",\"/data/a\"]");
    }

    @Test
    void pushedImagePullsBackIdentically() {
        String ref = host + "/roundtrip/app:v1";
        loadFixtureAs(ref);
        daemon.docker().run("push", ref).ok();
        daemon.docker().ok("rmi", ref, FIXTURE_REF);
        daemon.docker().run("pull", ref).ok();
        assertThat(Images.inspect(daemon.docker(), ref).path("Id").asText()).isEqualTo(FIXTURE_ID);
        assertThat(daemon.docker().ok("run", "--rm", ref).strip()).isEqualTo("one");
    }

    @Test
    void importedImagesPushTheSameCompressedLayersTwice() {
        String ref = host + "/imported/busybox:v1";
        Images.importBusybox(daemon.docker(), ref);
        Result r = daemon.docker().run("push", ref).ok();
        String digest = assertDigestLine(r, "imported/busybox", "v1");
        Result again = daemon.docker().run("push", ref).ok();
        assertThat(again.lines()).as(again.toString()).filteredOn(l -> l.endsWith(": Layer already exists")).hasSize(1);
        assertThat(assertDigestLine(again, "imported/busybox", "v1")).isEqualTo(digest);
    }

    @Test
    void pushAllTagsAndBerthCli() {
        loadFixtureAs(host + "/tags/app:a");
        daemon.docker().ok("tag", FIXTURE_REF, host + "/tags/app:b");
        Result r = daemon.berth().run("push", "-a", host + "/tags/app").ok();
        assertThat(r.lines()).contains("The push refers to repository [" + host + "/tags/app]");
        assertThat(registry.tags("tags/app")).contains("\"a\"", "\"b\"");
    }

    @Test
    void anImageThatIsNotLocalIsAClearError() {
        Result r = daemon.docker().run("push", host + "/nothere/app:v1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("An image does not exist locally with the tag: " + host + "/nothere/app");
    }
}
