package io.berth.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.Filters;
import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.engine.events.EventBus;
import io.berth.engine.service.BuildService;
import io.berth.engine.service.ProgressSink;
import io.berth.http.HttpServer;
import io.berth.server.Fakes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real docker CLI's classic build ({@code DOCKER_BUILDKIT=0}) against {@link BuildRouter} over a fake builder:
 * what it sends (the context tar, its flags as parameters) and how it reads the stream ({@code -q}, {@code --iidfile},
 * a failed build's exit status).
 */
class DockerCliBuildTest {
    static final String ID = "sha256:" + "0123456789ab".repeat(5) + "0123";

    @TempDir Path dir;
    Path sock;
    HttpServer server;
    final List<BuildService.BuildRequest> requests = new ArrayList<>();
    final List<Integer> contextSizes = new ArrayList<>();
    boolean fail;

    final BuildService fake = new BuildService() {
        @Override public String build(BuildRequest request, InputStream context, ProgressSink progress) {
            requests.add(request);
            try {
                contextSizes.add(context.readAllBytes().length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            progress.send(JsonMessage.stream("Step 1/1 : FROM busybox"));
            progress.send(JsonMessage.stream("\n"));
            if (fail) throw new BerthException.InvalidArgument("The command '/bin/sh -c false' returned a non-zero code: 1");
            progress.send(JsonMessage.stream(" ---> 0123456789ab\n"));
            progress.send(JsonMessage.aux(Map.of("ID", ID)));
            progress.send(JsonMessage.stream("Successfully built 0123456789ab\n"));
            for (String t : request.tags()) progress.send(JsonMessage.stream("Successfully tagged " + t + "\n"));
            return ID;
        }

        @Override public boolean cancel(String buildId) { return false; }

        @Override public BuildCachePruneReport prune(Filters filters, boolean all, long keepStorage) {
            return new BuildCachePruneReport(List.of(), 0);
        }

        @Override public List<BuildCacheRecord> cache() { return List.of(); }
    };

    @BeforeEach void start() throws Exception {
        assertThat(onPath("docker")).as("the docker CLI is on PATH").isTrue();
        sock = dir.resolve("api.sock");
        server = ApiRoutes.server(ApiRoutes.router(new Backends(new Fakes.System(), new EventBus(), new Fakes.Images(),
                Fakes.noContainers(), null, null, null, null, null, null, fake, null)));
        server.listen(UnixDomainSocketAddress.of(sock));
    }

    @AfterEach void stop() { server.close(); }

    record Run(int exit, String out, String err) {}

    static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) if (Files.isExecutable(Path.of(d, exe))) return true;
        return false;
    }

    Run docker(String... args) throws Exception { return docker(true, args); }

    Run docker(boolean classic, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + sock, "build"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (classic) pb.environment().put("DOCKER_BUILDKIT", "0");
        else pb.environment().remove("DOCKER_BUILDKIT");
        pb.environment().put("DOCKER_CONFIG", dir.resolve("cfg").toString());
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(err));
    }

    Path context() throws IOException {
        Path c = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(c.resolve("Dockerfile"), "FROM busybox\n");
        Files.writeString(c.resolve("data.txt"), "x".repeat(5000));
        return c;
    }

    @Test void theDockerCliBuildsThroughTheRouter() throws Exception {
        Path iid = dir.resolve("iid");
        Run r = docker("-t", "app:1", "--build-arg", "A=1", "--label", "l=v", "--target", "t", "--network", "none",
                "--iidfile", iid.toString(), context().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Sending build context to Docker daemon", "Step 1/1 : FROM busybox\n ---> 0123456789ab\n",
                "Successfully built 0123456789ab\nSuccessfully tagged app:1\n");
        assertThat(Files.readString(iid)).isEqualTo(ID);
        BuildService.BuildRequest q = requests.getFirst();
        assertThat(q.tags()).containsExactly("app:1");
        assertThat(q.buildArgs()).containsEntry("A", "1");
        assertThat(q.labels()).containsEntry("l", "v");
        assertThat(q.target()).isEqualTo("t");
        assertThat(q.networkMode()).isEqualTo("none");
        assertThat(q.dockerfile()).isEqualTo("Dockerfile");
        assertThat(q.remove()).isTrue();
        assertThat(contextSizes.getFirst()).as("the context tar").isGreaterThan(5000);
    }

    @Test void withoutBuildxTheCliTakesTheClassicPathByItself() throws Exception {
        Process buildx = new ProcessBuilder("docker", "buildx", "version").redirectErrorStream(true).start();
        buildx.getInputStream().readAllBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(buildx.waitFor() != 0, "buildx is installed: docker build would use BuildKit");
        Run r = docker(false, "-t", "plain:1", context().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Successfully tagged plain:1");
    }

    @Test void quietPrintsTheIdAndAFailureExitsNonZero() throws Exception {
        Run q = docker("-q", context().toString());
        assertThat(q.exit()).as(q.err()).isZero();
        assertThat(q.out()).isEqualTo(ID + "\n");

        fail = true;
        Run failed = docker(context().toString());
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).contains("The command '/bin/sh -c false' returned a non-zero code: 1");
        assertThat(failed.out()).contains("Step 1/1 : FROM busybox");
    }
}
