package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.ApiVersion;
import io.berth.engine.events.EventBus;
import io.berth.server.api.ApiRoutes;
import io.berth.server.api.ImagesRouter;
import io.berth.server.api.SystemRouter;
import io.berth.http.HttpServer;
import io.berth.http.Response;
import io.berth.http.Router;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerEndToEndTest {
    @TempDir Path dir;
    Path sock;
    HttpServer server;
    final Fakes.Images images = new Fakes.Images();
    final Fakes.System system = new Fakes.System();
    final EventBus events = new EventBus();

    @BeforeEach void start() throws Exception {
        sock = dir.resolve("api.sock");
        Router router = Router.builder()
                .add(new SystemRouter(system, events, null))
                .add(new ImagesRouter(images, null))
                .post("/test/hijack", (req, res) -> {
                    Response.Hijacked h = res.hijack();
                    byte[] in = h.in().readNBytes(5);
                    h.out().write(("echo:" + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    h.closeWrite();
                })
                .build();
        server = ApiRoutes.server(router);
        server.listen(UnixDomainSocketAddress.of(sock));
    }

    @AfterEach void stop() { server.close(); }

    @Test void pingHeadAndGetCarryDockerHeaders() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            RawHttp.Reply head = c.exchange("HEAD", "/_ping");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Api-Version")).isEqualTo("1.47");
            assertThat(head.header("Content-Length")).isEqualTo("0");
            RawHttp.Reply get = c.exchange("GET", "/_ping"); // same connection: keep-alive
            assertThat(get.text()).isEqualTo("OK");
            assertThat(get.headers()).containsEntry("content-type", "text/plain; charset=utf-8")
                    .containsEntry("ostype", "linux").containsEntry("docker-experimental", "false")
                    .containsEntry("builder-version", "1").containsEntry("pragma", "no-cache")
                    .containsEntry("cache-control", "no-cache, no-store, must-revalidate");
            assertThat(get.header("Server")).startsWith("Berth/");
        }
    }

    @Test void versionPrefixesAndLimits() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            RawHttp.Reply v = c.exchange("GET", "/v1.47/version");
            assertThat(v.status()).isEqualTo(200);
            assertThat(v.header("Content-Type")).isEqualTo("application/json");
            assertThat(v.text()).contains("\"ApiVersion\":\"1.47\"").contains("\"MinAPIVersion\":\"1.24\"");
            assertThat(c.exchange("GET", "/v1.24/version").status()).isEqualTo(200);
            RawHttp.Reply tooNew = c.exchange("GET", "/v1.50/version");
            assertThat(tooNew.status()).isEqualTo(400);
            assertThat(tooNew.text()).isEqualTo("{\"message\":\"client version 1.50 is too new. Maximum supported API version is 1.47\"}\n");
            RawHttp.Reply tooOld = c.exchange("GET", "/v1.20/info");
            assertThat(tooOld.text()).contains("client version 1.20 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version");
            RawHttp.Reply nf = c.exchange("GET", "/v1.47/nothing/here");
            assertThat(nf.status()).isEqualTo(404);
            assertThat(nf.text()).isEqualTo("{\"message\":\"page not found\"}\n");
            assertThat(c.exchange("POST", "/version").status()).isEqualTo(404);
        }
    }

    @Test void imageRoutesTakeNamesWithSlashesAndColons() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            RawHttp.Reply r = c.exchange("GET", "/v1.47/images/localhost:5000/a/b:tag/json");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).contains("\"RepoTags\":[\"localhost:5000/a/b:tag\"]");
            assertThat(r.text()).as("moby answers Container and ContainerConfig below API 1.45 only").doesNotContain("\"Container\"");
            assertThat(c.exchange("GET", "/v1.41/images/localhost:5000/a/b:tag/json").text()).contains("\"Container\":\"c0ffee\"");
            assertThat(r.text()).as("moby answers VirtualSize below API 1.44 only").doesNotContain("VirtualSize");
            assertThat(c.exchange("GET", "/v1.43/images/localhost:5000/a/b:tag/json").text()).contains("\"VirtualSize\":1");
            assertThat(c.exchange("GET", "/v1.47/images/json").text()).contains("\"Size\":1234").doesNotContain("VirtualSize");
            assertThat(c.exchange("GET", "/v1.41/images/json").text()).contains("\"VirtualSize\":1234");
            assertThat(c.exchange("GET", "/images/missing/json").text()).isEqualTo("{\"message\":\"No such image: missing\"}\n");
            assertThat(c.exchange("GET", "/images/json?all=1&shared-size=true&filters=%7B%22dangling%22%3A%5B%22true%22%5D%7D").status()).isEqualTo(200);
            assertThat(images.calls).contains("list all=true filters={dangling=[true]} shared=true");
            assertThat(c.exchange("GET", "/images/json?all=maybe").status()).isEqualTo(400);
            assertThat(c.exchange("POST", "/images/a/b:1/tag?repo=x/y&tag=2").status()).isEqualTo(201);
            assertThat(images.calls).contains("tag a/b:1 x/y 2");
            RawHttp.Reply del = c.exchange("DELETE", "/images/a/b:1?force=1");
            assertThat(del.text()).isEqualTo("[{\"Untagged\":\"a/b:1\"},{\"Deleted\":\"sha256:abc\"}]\n");
            assertThat(c.exchange("DELETE", "/images/busy").status()).isEqualTo(409);
            assertThat(c.exchange("GET", "/images/x/history").text()).contains("\"CreatedBy\":\"/bin/sh\"");
            assertThat(c.exchange("POST", "/images/prune?filters=%7B%22dangling%22%3A%5B%22false%22%5D%7D").text())
                    .isEqualTo("{\"ImagesDeleted\":[],\"SpaceReclaimed\":0}\n");
            RawHttp.Reply pull = c.exchange("POST", "/images/create?fromImage=busybox&tag=latest");
            assertThat(pull.status()).isEqualTo(501);
            assertThat(c.exchange("GET", "/system/df?type=image&type=volume").status()).isEqualTo(200);
            assertThat(system.lastDfTypes).containsExactly("image", "volume");
            assertThat(c.exchange("GET", "/system/df?type=bogus").text()).contains("unknown object type: bogus");
        }
    }

    @Test void saveStreamsTarAndFailsCleanlyBeforeTheFirstByte() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            RawHttp.Reply r = c.exchange("GET", "/images/get?names=a&names=b:1");
            assertThat(r.header("Content-Type")).isEqualTo("application/x-tar");
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.text()).isEqualTo("TAR:a,b:1");
            assertThat(c.exchange("GET", "/images/x/y:z/get").text()).isEqualTo("TAR:x/y:z");
            RawHttp.Reply missing = c.exchange("GET", "/images/missing/get");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.text()).contains("No such image: missing");
        }
    }

    @Test void loadTakesAChunkedBodyWith100ContinueAndStreamsProgress() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            c.send("POST /v1.47/images/load?quiet=0 HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n"
                    + "Content-Type: application/x-tar\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(100);
            c.send("3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\n\r\n");
            RawHttp.Reply r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.text()).isEqualTo("{\"stream\":\"Loaded image: busybox:latest\\n\"}\n");
            assertThat(new String(images.lastBody, StandardCharsets.UTF_8)).isEqualTo("abcdefg");
            assertThat(images.calls).contains("load quiet=false");
            // an error is a final error line of the 200 stream, before any output too (moby's postImagesLoad)
            c.send("POST /images/load HTTP/1.1\r\nHost: d\r\nContent-Length: 3\r\n\r\nbad");
            RawHttp.Reply bad = c.read();
            assertThat(bad.status()).isEqualTo(200);
            assertThat(bad.text()).isEqualTo("{\"error\":\"not a tar archive\",\"errorDetail\":{\"message\":\"not a tar archive\"}}\n");
            c.send("POST /images/load HTTP/1.1\r\nHost: d\r\nContent-Length: 9\r\n\r\nfail-late");
            RawHttp.Reply late = c.read();
            assertThat(late.status()).isEqualTo(200);
            assertThat(late.text()).endsWith("{\"error\":\"broken layer\",\"errorDetail\":{\"message\":\"broken layer\"}}\n");
            assertThat(c.exchange("GET", "/_ping").text()).isEqualTo("OK"); // still usable
        }
    }

    @Test void importFromRequestBody() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            c.send("POST /images/create?fromSrc=-&repo=imp&tag=1&message=hi&changes=CMD%20sh&changes=ENV%20A%3D1 HTTP/1.1\r\n"
                    + "Host: d\r\nContent-Length: 4\r\n\r\nroot");
            RawHttp.Reply r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("{\"status\":\"sha256:def\"}\n");
            assertThat(images.lastImport.repo()).isEqualTo("imp");
            assertThat(images.lastImport.changes()).containsExactly("CMD sh", "ENV A=1");
            assertThat(images.lastImport.url()).isNull();
            assertThat(new String(images.lastBody, StandardCharsets.UTF_8)).isEqualTo("root");
        }
    }

    @Test void eventsStreamLiveUntilTheClientLeaves() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            c.send("GET /v1.47/events?filters=%7B%22type%22%3A%5B%22image%22%5D%7D HTTP/1.1\r\nHost: d\r\n\r\n");
            RawHttp.Head head = c.readHead(); // headers arrive before any event
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers()).containsEntry("content-type", "application/json");
            waitFor(() -> events.listenerCount() == 1);
            events.publish("container", "start", "c1", Map.of("image", "busybox")); // filtered out
            events.publish("image", "tag", "sha256:abc", Map.of("name", "busybox:latest"));
            String line = new String(c.readChunk(), StandardCharsets.UTF_8);
            assertThat(line).contains("\"Type\":\"image\"").contains("\"Action\":\"tag\"").endsWith("\n");
        }
        waitFor(() -> events.listenerCount() == 0);
    }

    @Test void eventsWithUntilInThePastReplayAndEnd() throws Exception {
        events.publish("image", "load", "sha256:1", Map.of());
        events.publish("image", "tag", "sha256:2", Map.of());
        Thread.sleep(5);
        Instant past = Instant.now().minusMillis(1);
        String fractional = past.getEpochSecond() + "." + String.format("%09d", past.getNano());
        try (RawHttp c = new RawHttp(sock)) {
            RawHttp.Reply r = c.exchange("GET", "/events?since=0&until=" + fractional);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text().lines()).hasSize(2);
        }
        try (RawHttp c = new RawHttp(sock)) {
            RawHttp.Reply r = c.exchange("GET", "/events?until=" + past + "&filters=%7B%22event%22%3A%5B%22tag%22%5D%7D");
            assertThat(r.text().lines()).singleElement().asString().contains("sha256:2");
        }
        try (RawHttp c = new RawHttp(sock)) {
            RawHttp.Reply bad = c.exchange("GET", "/events?since=10&until=5");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.text()).contains("cannot be after `until` time");
            assertThat(c.exchange("GET", "/events?since=yesterday").status()).isEqualTo(400);
        }
    }

    @Test void hijackUpgradesTheConnection() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            c.send("POST /v1.47/test/hijack HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
            RawHttp.Head h = c.readHead();
            assertThat(h.status()).isEqualTo(101);
            assertThat(h.headers()).containsEntry("connection", "Upgrade").containsEntry("upgrade", "tcp")
                    .containsEntry("content-type", "application/vnd.docker.raw-stream");
            c.send("hello");
            assertThat(new String(c.in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("echo:hello");
        }
        try (RawHttp c = new RawHttp(sock)) {
            c.send("POST /test/hijack HTTP/1.1\r\nHost: d\r\n\r\nworld");
            RawHttp.Head h = c.readHead();
            assertThat(h.status()).isEqualTo(200);
            assertThat(h.headers()).containsEntry("content-type", "application/vnd.docker.raw-stream");
            assertThat(new String(c.in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("echo:world");
        }
    }

    @Test void oversizedAndMalformedHeadsAreRejected() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            c.send("GET /_ping HTTP/1.1\r\nX: " + "a".repeat(9000) + "\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(431);
        }
        try (RawHttp c = new RawHttp(sock)) {
            StringBuilder sb = new StringBuilder("GET /_ping HTTP/1.1\r\n");
            for (int i = 0; i < 101; i++) sb.append("X-").append(i).append(": 1\r\n");
            c.send(sb.append("\r\n").toString());
            assertThat(c.read().status()).isEqualTo(431);
        }
        try (RawHttp c = new RawHttp(sock)) {
            c.send("NONSENSE\r\n\r\n");
            RawHttp.Reply r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Connection")).isEqualTo("close");
        }
        try (RawHttp c = new RawHttp(sock)) {
            c.send("GET /_ping HTTP/1.1\r\nConnection: close\r\n\r\n");
            RawHttp.Reply r = c.read();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.in.read()).isEqualTo(-1);
        }
    }

    @Test void apiVersionIsOnTheRequest() {
        assertThat(ApiVersion.CURRENT.toString()).isEqualTo("1.47");
    }

    static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met in 5 s");
            Thread.sleep(10);
        }
    }
}
