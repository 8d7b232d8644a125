package io.berth.it;

import static io.berth.it.support.BuildContexts.classic;
import static io.berth.it.support.BuildContexts.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.BerthRegistry;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10's base images from a registry: a FROM that is not local is pulled through the registry client with the
 * credentials the docker CLI sends in {@code X-Registry-Config} (a {@code berth registry} with htpasswd on loopback),
 * with the pull's progress in the build's stream; {@code --pull} pulls again although the image is local; without
 * credentials the build fails with the registry's refusal and tags nothing.
 */
class BuildRegistryIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static BerthRegistry registry;
    static Path dir;
    static DockerCli docker;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        docker = daemon.docker();
        dir = Files.createTempDirectory("berth-it-build-registry-");
        Path htpasswd = BerthRegistry.htpasswd(dir, "builder", "builder-pw");
        registry = BerthRegistry.withArgs(BerthRegistry.freePort(), List.of("--htpasswd", htpasswd.toString()));
        Images.importBusybox(docker, "busybox:latest");
        base = registry.host() + "/base/busybox:1";
        login();
        docker.ok("tag", "busybox:latest", base);
        docker.run("push", base).ok();
        docker.ok("rmi", base);
        docker.run("logout", registry.host()).ok();
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) registry.close();
        BerthDaemon.deleteTree(dir);
    }

    static void login() {
        docker.call("login", "-u", "builder", "--password-stdin", registry.host()).stdin("builder-pw".getBytes()).run().ok();
    }

    @Test
    void aMissingBaseIsPulledWithTheCredentialsTheCliSends() {
        Path ctx = context(daemon.scratch(), "FROM " + base + "\nRUN echo pulled-base > /p\n");
        Result refused = classic(docker, "-t", "from-registry:denied", ctx.toString());
        assertThat(refused.exit()).as(refused.toString()).isNotZero();
        assertThat(refused.err() + refused.out()).containsIgnoringCase("no basic auth credentials");
        assertThat(docker.run("image", "inspect", "from-registry:denied").exit()).isNotZero();

        login();
        try {
            Result r = classic(docker, "-t", "from-registry:1", ctx.toString()).ok();
            assertThat(r.out()).contains("Step 1/2 : FROM " + base).contains("Pulling from base/busybox")
                    .contains("Status: Downloaded newer image for " + base).contains("Successfully tagged from-registry:1");
            assertThat(docker.ok("run", "--rm", "--network", "none", "from-registry:1", "cat", "/p")).isEqualTo("pulled-base\n");

            Result again = classic(docker, "--pull", "-t", "from-registry:2", ctx.toString()).ok();
            assertThat(again.out()).contains("Pulling from base/busybox").contains("Status: Image is up to date for " + base)
                    .contains(" ---> Using cache");
        } finally {
            docker.run("logout", registry.host()).ok();
        }
    }
}
