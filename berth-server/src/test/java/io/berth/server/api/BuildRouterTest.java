package io.berth.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.Filters;
import io.berth.api.JsonMessage;
import io.berth.api.build.BuildSecretsHeader;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.RegistryAuthHeader;
import io.berth.engine.service.BuildService;
import io.berth.engine.service.ProgressSink;
import io.berth.http.HttpServer;
import io.berth.http.Router;
import io.berth.server.RawHttp;
import io.berth.server.Fakes;
import io.berth.engine.events.EventBus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /build}'s parameters, its stream and its two error paths, {@code q}, prune, cancel and df's BuildCache. */
class BuildRouterTest {
    static final String ID = "sha256:" + "ab".repeat(32);

    @TempDir Path dir;
    Path sock;
    HttpServer server;
    final List<BuildService.BuildRequest> requests = new ArrayList<>();
    final List<String> contexts = new ArrayList<>();
    final List<String> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What the fake build does after reading the context. */
    Behaviour behaviour = progress -> {
        progress.send(JsonMessage.stream("Step 1/1 : FROM busybox"));
        progress.send(JsonMessage.stream("\n"));
        progress.send(JsonMessage.stream("Successfully built abababababab\n"));
        return ID;
    };

    interface Behaviour { String run(ProgressSink progress); }

    final BuildService fake = new BuildService() {
        @Override public String build(BuildRequest request, InputStream context, ProgressSink progress) {
            requests.add(request);
            try {
                contexts.add(new String(context.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return behaviour.run(progress);
        }

        @Override public boolean cancel(String buildId) { return cancelled.add(buildId); }

        @Override public BuildCachePruneReport prune(Filters filters, boolean all, long keepStorage) {
            return new BuildCachePruneReport(List.of("c1", "all=" + all, "keep=" + keepStorage), 42);
        }

        @Override public List<BuildCacheRecord> cache() {
            return List.of(new BuildCacheRecord("c1", null, "exec.cachemount", "/root/.cache", false, true, 1024,
                    "2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z", 2));
        }
    };

    @BeforeEach void start() throws Exception {
        sock = dir.resolve("api.sock");
        Router router = ApiRoutes.router(new Backends(new Fakes.System(), new EventBus(), new Fakes.Images(),
                Fakes.noContainers(), null, null, null, null, null, null, fake, null));
        server = ApiRoutes.server(router);
        server.listen(UnixDomainSocketAddress.of(sock));
    }

    @AfterEach void stop() { server.close(); }

    RawHttp.Reply post(String target, String headers, String body) throws IOException {
        try (RawHttp c = new RawHttp(sock)) {
            c.send("POST " + target + " HTTP/1.1\r\nHost: d\r\nContent-Type: application/x-tar\r\n" + headers
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            return c.read();
        }
    }

    @Test void everyQueryParameterReachesTheRequest() throws Exception {
        String auth = RegistryAuthHeader.encodeConfig(Map.of("localhost:5000", new AuthConfig("u", "p", null, null, null, null, null)));
        String secrets = BuildSecretsHeader.encode(Map.of("tok", "s3cret".getBytes(StandardCharsets.UTF_8)));
        RawHttp.Reply r = post("/v1.41/build?t=a%3A1&t=b&dockerfile=df%2FDockerfile&nocache=1&forcerm=1&rm=0&pull=1"
                + "&buildargs=%7B%22A%22%3A%221%22%2C%22B%22%3Anull%7D&labels=%7B%22l%22%3A%22v%22%7D"
                + "&cachefrom=%5B%22img%3A1%22%5D&target=t1&networkmode=host&extrahosts=h1%3A1.2.3.4&extrahosts=h2%3A5.6.7.8"
                + "&platform=linux%2Famd64&memory=1000&memswap=-1&cpushares=512&cpuperiod=100000&cpuquota=50000"
                + "&cpusetcpus=0&cpusetmems=0&cgroupparent=cg&shmsize=65536"
                + "&ulimits=%5B%7B%22Name%22%3A%22nofile%22%2C%22Soft%22%3A1024%2C%22Hard%22%3A2048%7D%5D"
                + "&remote=http%3A%2F%2Fx%2Fctx.tar&buildid=b1&version=1",
                "X-Registry-Config: " + auth.replace("=", "") + "\r\nX-Berth-Build-Secrets: " + secrets + "\r\n", "TAR");
        assertThat(r.status()).isEqualTo(200);
        BuildService.BuildRequest q = requests.getFirst();
        assertThat(contexts).containsExactly("TAR");
        assertThat(q.tags()).containsExactly("a:1", "b");
        assertThat(q.dockerfile()).isEqualTo("df/Dockerfile");
        assertThat(q.noCache()).isTrue();
        assertThat(q.remove()).as("forcerm implies rm").isTrue();
        assertThat(q.forceRemove()).isTrue();
        assertThat(q.pull()).isTrue();
        assertThat(q.quiet()).isFalse();
        assertThat(q.buildArgs()).containsEntry("A", "1").containsEntry("B", null).hasSize(2);
        assertThat(q.labels()).containsExactly(Map.entry("l", "v"));
        assertThat(q.cacheFrom()).containsExactly("img:1");
        assertThat(q.target()).isEqualTo("t1");
        assertThat(q.networkMode()).isEqualTo("host");
        assertThat(q.extraHosts()).containsExactly("h1:1.2.3.4", "h2:5.6.7.8");
        assertThat(q.platform()).isEqualTo("linux/amd64");
        assertThat(q.resources()).isEqualTo(new BuildService.Resources(1000, -1, 512, 100000, 50000, "0", "0", 65536, "cg",
                List.of(new BuildService.Ulimit("nofile", 1024, 2048))));
        assertThat(q.remote()).isEqualTo("http://x/ctx.tar");
        assertThat(q.buildId()).isEqualTo("b1");
        assertThat(q.registryAuth()).containsOnlyKeys("localhost:5000");
        assertThat(q.registryAuth().get("localhost:5000").password()).isEqualTo("p");
        assertThat(q.secrets().get("tok")).asString(StandardCharsets.UTF_8).isEqualTo("s3cret");
        assertThat(q.apiVersion()).isEqualTo("1.41");
    }

    @Test void defaultsAsMoby() throws Exception {
        assertThat(post("/build?extrahosts=h1%3A1.1.1.1%2Ch2%3A2.2.2.2&platform=linux%2Farm64", "", "").status()).isEqualTo(200);
        assertThat(post("/v1.31/build?platform=linux%2Farm64", "X-Registry-Config: %%%\r\n", "").status()).isEqualTo(200);
        BuildService.BuildRequest q = requests.getFirst();
        assertThat(q.remove()).as("rm defaults to true").isTrue();
        assertThat(q.forceRemove()).isFalse();
        assertThat(q.tags()).isEmpty();
        assertThat(q.dockerfile()).isNull();
        assertThat(q.buildId()).as("an ID of its own, for the cancel of a client that goes away").startsWith("berth-");
        assertThat(q.buildArgs()).isEmpty();
        assertThat(q.registryAuth()).isEmpty();
        assertThat(q.secrets()).isEmpty();
        assertThat(q.resources()).isEqualTo(BuildService.Resources.NONE);
        assertThat(q.extraHosts()).containsExactly("h1:1.1.1.1", "h2:2.2.2.2");
        assertThat(q.platform()).isEqualTo("linux/arm64");
        assertThat(requests.get(1).platform()).as("platform is read from API 1.32 on").isNull();
        assertThat(requests.get(1).registryAuth()).as("a bad X-Registry-Config is ignored").isEmpty();
    }

    @Test void theStreamIsOneJsonLinePerMessage() throws Exception {
        RawHttp.Reply r = post("/build?t=x", "", "");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.text()).isEqualTo("{\"stream\":\"Step 1/1 : FROM busybox\"}\r\n{\"stream\":\"\\n\"}\r\n"
                + "{\"stream\":\"Successfully built abababababab\\n\"}\r\n");
    }

    @Test void anErrorBeforeTheFirstMessageIsAnHttpStatus() throws Exception {
        behaviour = progress -> { throw new BerthException.InvalidArgument("target stage \"x\" could not be found"); };
        RawHttp.Reply r = post("/build?target=x", "", "");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("{\"message\":\"target stage \\\"x\\\" could not be found\"}\n");
    }

    @Test void anErrorAfterTheFirstMessageEndsTheStream() throws Exception {
        behaviour = progress -> {
            progress.send(JsonMessage.stream("Step 1/2 : FROM busybox"));
            throw new BerthException.NotFound("COPY failed: file not found in build context");
        };
        RawHttp.Reply r = post("/build", "", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"stream\":\"Step 1/2 : FROM busybox\"}\r\n"
                + "{\"error\":\"COPY failed: file not found in build context\",\"errorDetail\":{\"message\":"
                + "\"COPY failed: file not found in build context\"}}\r\n");
    }

    @Test void anErrorTheBuilderSentItselfIsNotRepeated() throws Exception {
        behaviour = progress -> {
            progress.send(JsonMessage.stream("Step 1/2 : RUN exit 3"));
            progress.send(JsonMessage.error("The command '/bin/sh -c exit 3' returned a non-zero code: 3"));
            throw new BerthException.InvalidArgument("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        };
        String text = post("/build", "", "").text();
        assertThat(text.split("\r\n")).hasSize(2);
        assertThat(text).endsWith("returned a non-zero code: 3\"}}\r\n");
    }

    @Test void aClientThatGoesAwayCancelsItsBuild() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        behaviour = progress -> {
            started.countDown();
            for (int i = 0; i < 100_000; i++) {
                progress.send(JsonMessage.stream("line " + i + "\n"));
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return ID;
        };
        try (RawHttp c = new RawHttp(sock)) {
            c.send("POST /build HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n");
            c.readHead();
            started.await();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (cancelled.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(cancelled).containsExactly(requests.getFirst().buildId());
    }

    @Test void quietWritesOnlyTheIdOnSuccess() throws Exception {
        RawHttp.Reply r = post("/build?q=1", "", "");
        assertThat(r.text()).isEqualTo("{\"stream\":\"" + ID + "\\n\"}\r\n");
    }

    @Test void quietWritesWhatItKeptThenTheErrorOnFailure() throws Exception {
        behaviour = progress -> {
            progress.send(JsonMessage.stream("Step 1/2 : RUN false"));
            throw new BerthException.InvalidArgument("The command '/bin/sh -c false' returned a non-zero code: 1");
        };
        RawHttp.Reply r = post("/build?q=1", "", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).startsWith("{\"stream\":\"Step 1/2 : RUN false\"}\r\n{\"error\":\"The command");
        behaviour = progress -> { throw new BerthException.InvalidArgument("the Dockerfile (Dockerfile) cannot be empty"); };
        assertThat(post("/build?q=1", "", "").status()).as("nothing kept: an HTTP status").isEqualTo(400);
    }

    @Test void refusedParameters() throws Exception {
        assertThat(post("/build?securityopt=seccomp%3Dunconfined", "", "").text())
                .contains("The daemon on this platform does not support setting security options on build");
        RawHttp.Reply v2 = post("/build?version=2", "", "");
        assertThat(v2.status()).isEqualTo(400);
        assertThat(v2.text()).contains("buildkit not supported by daemon");
        assertThat(post("/build?version=3", "", "").text()).contains("invalid version \\\"3\\\"");
        assertThat(post("/build?squash=1", "", "").text()).contains("squash is only supported with experimental mode");
        assertThat(post("/build?buildargs=%7Bnope", "", "").status()).isEqualTo(400);
        assertThat(post("/build?memory=lots", "", "").status()).isEqualTo(400);
        assertThat(requests).isEmpty();
    }

    @Test void pruneCancelAndDiskUsage() throws Exception {
        RawHttp.Reply p = post("/build/prune?all=1&keep-storage=100", "", "");
        assertThat(p.text()).isEqualTo("{\"CachesDeleted\":[\"c1\",\"all=true\",\"keep=100\"],\"SpaceReclaimed\":42}\n");
        assertThat(post("/build/prune?reserved-space=7", "", "").text()).contains("keep=7");
        assertThat(post("/build/cancel?id=b1", "", "").status()).isEqualTo(200);
        assertThat(cancelled).containsExactly("b1");
        assertThat(post("/build/cancel", "", "").status()).isEqualTo(400);
        try (RawHttp c = new RawHttp(sock)) {
            String df = c.exchange("GET", "/system/df?type=build-cache").text();
            assertThat(df).contains("\"BuildCache\":[{\"ID\":\"c1\",\"Type\":\"exec.cachemount\",\"Description\":\"/root/.cache\","
                    + "\"InUse\":false,\"Shared\":true,\"Size\":1024,\"CreatedAt\":\"2026-11-30T10:00:00Z\","
                    + "\"LastUsedAt\":\"2026-11-30T11:00:00Z\",\"UsageCount\":2}]");
        }
    }
}
