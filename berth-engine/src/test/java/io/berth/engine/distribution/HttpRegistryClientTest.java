package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.Reference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry client against {@link FakeRegistryServer} on loopback: auth, verification, retries, uploads. */
class HttpRegistryClientTest {
    private static final RegistryTransport.RetryPolicy FAST = new RegistryTransport.RetryPolicy(3, Duration.ofMillis(10));
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PROBE = Duration.ofMillis(250);

    @TempDir Path certs;
    private FakeRegistryServer registry;
    private HttpRegistryClient client;

    @BeforeEach void start() throws IOException {
        registry = FakeRegistryServer.http();
        client = client(64);
    }

    @AfterEach void stop() { registry.close(); }

    private HttpRegistryClient client(long chunkSize) {
        return new HttpRegistryClient(RegistryOptions.defaults(certs), true, FAST, chunkSize, TIMEOUT, PROBE);
    }

    private Reference ref(String path) { return Reference.parse(registry.host() + "/" + path); }

    private static AuthConfig creds(String user, String password) {
        return new AuthConfig(user, password, null, null, null, null, null);
    }

    private Digest seedImage(String repo, String tag) {
        byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
        Digest l = registry.putBlob(repo, layer);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"layers\":[{\"digest\":\"" + l + "\"}]}";
        return registry.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    }

    @Test void theJdkClientReadsBodiesIn256KiBBuffers() throws IOException {
        seedImage("lib/app", "v1");
        assertThat(client.open(ref("lib/app"), AuthConfig.NONE, false).manifest("v1")).isPresent();
        assertThat(System.getProperty(RegistryTransport.BUFSIZE_PROPERTY)).isEqualTo(Integer.toString(256 * 1024));
    }

    @Test void searchAsksTheRegistrysV1SearchAndSaysDockersTextWhenItHasNone() {
        assertThatThrownBy(() -> client.search(registry.host(), "app", 25, AuthConfig.NONE))
                .isInstanceOf(BerthException.SystemError.class).hasMessage("Unexpected status code 404");
        registry.override = x -> {
            if (!x.getRequestURI().getPath().equals("/v1/search")) return false;
            assertThat(x.getRequestURI().getQuery()).isEqualTo("q=team/app&n=5");
            FakeRegistryServer.send(x, 200, "application/json", ("{\"num_results\":1,\"query\":\"team/app\",\"results\":[{\"name\":"
                    + "\"team/app\",\"description\":\"the app\",\"star_count\":7,\"is_official\":false,\"is_automated\":false}]}")
                    .getBytes(StandardCharsets.UTF_8));
            return true;
        };
        assertThat(client.search(registry.host(), "team/app", 5, AuthConfig.NONE))
                .containsExactly(new io.berth.api.registry.SearchResult("team/app", "the app", 7, false, false));
    }

    @Test void anonymousTokenForPublicRepository() throws IOException {
        registry.auth = FakeRegistryServer.AuthMode.TOKEN;
        registry.publicRepositories.add("lib/app");
        Digest d = seedImage("lib/app", "v1");
        RepositorySession s = client.open(ref("lib/app"), AuthConfig.NONE, false);
        FetchedManifest m = s.manifest("v1").orElseThrow();
        assertThat(m.digest()).isEqualTo(d);
        assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(s.resolve("v1")).contains(d);
        FakeRegistryServer.Seen token = registry.tokenRequests.getFirst();
        assertThat(token.authorization()).isNull();
        assertThat(token.query()).contains("service=fake-registry", "scope=repository%3Alib%2Fapp%3Apull", "offline_token=true", "client_id=docker")
                .doesNotContain("account=");
    }

    @Test void privateRepositoryWithoutCredentialsIsPullAccessDenied() {
        registry.auth = FakeRegistryServer.AuthMode.TOKEN;
        seedImage("team/secret", "latest");
        RepositorySession s = client.open(ref("team/secret"), AuthConfig.NONE, false);
        assertThatThrownBy(() -> s.manifest("latest")).isInstanceOf(BerthException.NotFound.class)
                .hasMessage("pull access denied for " + registry.host() + "/team/secret, repository does not exist or may require "
                        + "'docker login': denied: requested access to the resource is denied");
    }

    @Test void basicAuth() throws IOException {
        registry.auth = FakeRegistryServer.AuthMode.BASIC;
        Digest d = seedImage("a/b/c", "latest");
        assertThat(client.open(ref("a/b/c"), creds("alice", "secret"), false).manifest("latest").orElseThrow().digest()).isEqualTo(d);
        assertThat(registry.requests.getLast().authorization()).startsWith("Basic ");
        RepositorySession anonymous = client.open(ref("a/b/c"), AuthConfig.NONE, false);
        assertThatThrownBy(() -> anonymous.manifest("latest")).isInstanceOf(BerthException.Unauthorized.class)
                .hasMessage("Get \"" + registry.base() + "/v2/a/b/c/manifests/latest\": no basic auth credentials");
        AuthConfig encoded = new AuthConfig(null, null, java.util.Base64.getEncoder().encodeToString("alice:secret".getBytes()), null, null, null, null);
        assertThat(client.open(ref("a/b/c"), encoded, false).exists(Digest.of("layer bytes".getBytes()))).isTrue();
    }

    @Test void tokensAreCachedPerScopeSetAndAPushAsksForMore() throws IOException {
        registry.auth = FakeRegistryServer.AuthMode.TOKEN;
        seedImage("app", "v1");
        AuthConfig alice = creds("alice", "secret");
        client.open(ref("app"), alice, false).manifest("v1");
        client.open(ref("app"), alice, false).manifest("v1");
        assertThat(registry.tokenRequests).hasSize(1);
        assertThat(registry.tokenRequests.getFirst().query()).contains("account=alice");
        assertThat(registry.tokenRequests.getFirst().authorization()).startsWith("Basic ");
        RepositorySession push = client.open(ref("app"), alice, true);
        push.putManifest("v2", MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2}".getBytes());
        assertThat(registry.tokenRequests).hasSize(2);
        assertThat(registry.tokenRequests.getLast().query()).contains("scope=repository%3Aapp%3Apull%2Cpush");
        registry.accessTokenField = true;
        assertThat(client(64).open(ref("app"), alice, false).manifest("v1")).isPresent();
    }

    @Test void loginReturnsTheRefreshTokenWhichThenGetsTokensByPost() throws IOException {
        registry.auth = FakeRegistryServer.AuthMode.TOKEN;
        seedImage("app", "v1");
        String identity = client.login(new AuthConfig("alice", "secret", null, null, registry.host(), null, null));
        assertThat(identity).startsWith("refresh-");
        AuthConfig withToken = new AuthConfig("alice", null, null, null, registry.host(), identity, null);
        assertThat(client.open(ref("app"), withToken, false).manifest("v1")).isPresent();
        FakeRegistryServer.Seen post = registry.tokenRequests.getLast();
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.authorization()).isNull();

        registry.oauthPost = false;
        AuthConfig fallback = new AuthConfig("alice", "secret", null, null, registry.host(), "refresh-unknown", null);
        assertThat(client(64).open(ref("app"), fallback, false).manifest("v1")).isPresent();
        assertThat(registry.tokenRequests.getLast().method()).isEqualTo("GET");
    }

    @Test void loginRefusedWithDockersTexts() {
        registry.auth = FakeRegistryServer.AuthMode.TOKEN;
        assertThatThrownBy(() -> client.login(new AuthConfig("alice", "wrong", null, null, registry.host(), null, null)))
                .isInstanceOf(BerthException.Unauthorized.class)
                .hasMessage("Get \"" + registry.base() + "/v2/\": unauthorized: incorrect username or password");
        registry.auth = FakeRegistryServer.AuthMode.BASIC;
        assertThatThrownBy(() -> client.login(new AuthConfig("alice", "wrong", null, null, "http://" + registry.host(), null, null)))
                .isInstanceOf(BerthException.Unauthorized.class)
                .hasMessage("login attempt to " + registry.base() + "/v2/ failed with status: 401 Unauthorized");
        assertThat(client.login(new AuthConfig("alice", "secret", null, null, registry.host(), null, null))).isEmpty();
    }

    @Test void blobRedirectToAnotherPortCarriesNoCredentials() throws IOException {
        registry.auth = FakeRegistryServer.AuthMode.BASIC;
        byte[] data = "redirected layer".getBytes();
        Digest d = registry.putBlob("app", data);
        HttpServer cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> cdnAuth = new java.util.concurrent.CopyOnWriteArrayList<>();
        cdn.createContext("/", x -> {
            cdnAuth.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
            FakeRegistryServer.send(x, 200, "application/octet-stream", data);
            x.close();
        });
        cdn.start();
        try {
            registry.override = x -> {
                if (!x.getRequestURI().getPath().contains("/blobs/sha256")) return false;
                x.getResponseHeaders().add("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/cdn/blob?sig=1");
                FakeRegistryServer.send(x, 307, null, new byte[0]);
                return true;
            };
            try (InputStream in = client.open(ref("app"), creds("alice", "secret"), false).blob(new Descriptor("x", d, data.length), 0)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            assertThat(registry.requests.getLast().authorization()).startsWith("Basic ");
            assertThat(cdnAuth).containsExactly("null");
        } finally {
            cdn.stop(0);
        }
    }

    @Test void manifestWithWrongDigestFails() {
        Digest real = seedImage("app", "v1");
        Digest claimed = Digest.of("something else".getBytes());
        registry.override = x -> {
            if (!x.getRequestURI().getPath().contains("/manifests/")) return false;
            FakeRegistryServer.send(x, 200, MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,\"evil\":true}".getBytes());
            return true;
        };
        RepositorySession s = client.open(ref("app"), AuthConfig.NONE, false);
        assertThatThrownBy(() -> s.manifest(claimed.toString())).hasMessage("manifest verification failed for digest " + claimed);
        registry.override = x -> {
            if (!x.getRequestURI().getPath().contains("/manifests/")) return false;
            x.getResponseHeaders().add("Docker-Content-Digest", real.toString());
            FakeRegistryServer.send(x, 200, MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,\"evil\":true}".getBytes());
            return true;
        };
        assertThatThrownBy(() -> s.manifest("v1")).hasMessage("manifest verification failed for digest " + real);
    }

    @Test void blobOfTheWrongSizeFails() throws IOException {
        byte[] data = "0123456789".getBytes();
        Digest d = registry.putBlob("app", data);
        RepositorySession s = client.open(ref("app"), AuthConfig.NONE, false);
        assertThatThrownBy(() -> s.blob(new Descriptor("x", d, 5), 0).readAllBytes()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> s.blob(new Descriptor("x", d, 20), 0).readAllBytes()).isInstanceOf(IOException.class);
        registry.override = x -> {
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                out.write("01234".getBytes());
            }
            return true;
        };
        assertThatThrownBy(() -> s.blob(new Descriptor("x", d, 10), 0).readAllBytes())
                .isInstanceOf(IOException.class).hasMessageContaining("unexpected EOF");
    }

    @Test void endlessBodyFailsAtTheDescriptorsSize() throws IOException {
        Digest d = Digest.of("whatever".getBytes());
        registry.override = x -> {
            x.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[8192];
            try (OutputStream out = x.getResponseBody()) {
                while (true) out.write(chunk);
            } catch (IOException clientWentAway) {
                return true;
            }
        };
        try (InputStream in = client.open(ref("app"), AuthConfig.NONE, false).blob(new Descriptor("x", d, 100_000), 0)) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("longer than");
        }
    }

    @Test void serverErrorsAreRetried() throws IOException {
        Digest d = seedImage("app", "v1");
        AtomicInteger failures = new AtomicInteger(2);
        registry.override = x -> {
            if (!x.getRequestURI().getPath().contains("/manifests/") || failures.getAndDecrement() <= 0) return false;
            FakeRegistryServer.error(x, 503, "UNAVAILABLE", "try later");
            return true;
        };
        assertThat(client.open(ref("app"), AuthConfig.NONE, false).manifest("v1").orElseThrow().digest()).isEqualTo(d);
        assertThat(registry.count("GET", "/manifests/")).isEqualTo(3);
        failures.set(10);
        assertThatThrownBy(() -> client.open(ref("app"), AuthConfig.NONE, false).manifest("v1"))
                .isInstanceOf(BerthException.Unavailable.class).hasMessage("unavailable: try later");
    }

    @Test void notFoundTexts() throws IOException {
        seedImage("app", "v1");
        RepositorySession s = client.open(ref("app"), AuthConfig.NONE, false);
        assertThat(s.manifest("v2")).isEmpty();
        assertThat(s.resolve("v2")).isEmpty();
        assertThat(s.exists(Digest.of("missing".getBytes()))).isFalse();
        assertThatThrownBy(() -> client.open(ref("nope"), AuthConfig.NONE, false).manifest("latest"))
                .isInstanceOf(BerthException.NotFound.class)
                .hasMessage("repository " + registry.host() + "/nope not found: name unknown: repository name not known to registry");
        Digest missing = Digest.of("missing".getBytes());
        assertThatThrownBy(() -> s.blob(new Descriptor("x", missing, 7), 0))
                .isInstanceOf(BerthException.NotFound.class).hasMessage("blob unknown: blob unknown to registry");
    }

    @Test void tagsFollowLinkPagination() throws IOException {
        for (String t : List.of("a", "b", "c", "d", "e")) seedImage("app", t);
        registry.tagPageSize = 2;
        assertThat(client.open(ref("app"), AuthConfig.NONE, false).tags()).containsExactly("a", "b", "c", "d", "e");
        assertThat(registry.count("GET", "/tags/list")).isEqualTo(3);
    }

    @Test void mountAnswers201OrStartsAnUploadThatIsCancelled() throws IOException {
        Digest d = registry.putBlob("source", "shared layer".getBytes());
        RepositorySession target = client.open(ref("target"), AuthConfig.NONE, true);
        assertThat(target.mount(d, "source")).isTrue();
        assertThat(registry.blob("target", d)).isNotNull();
        Digest other = Digest.of("not there".getBytes());
        assertThat(target.mount(other, "source")).isFalse();
        assertThat(registry.count("DELETE", "/blobs/uploads/")).isEqualTo(1);
    }

    @Test void mountAsksForPullOnTheSourceRepository() throws IOException {
        registry.auth = FakeRegistryServer.AuthMode.TOKEN;
        Digest d = registry.putBlob("source", "shared layer".getBytes());
        assertThat(client.open(ref("target"), creds("alice", "secret"), true).mount(d, "source")).isTrue();
        assertThat(registry.tokenRequests.getLast().query()).contains("scope=repository%3Asource%3Apull", "scope=repository%3Atarget%3Apull%2Cpush");
    }

    @Test void monolithicAndChunkedUploads() throws IOException {
        byte[] small = "small blob".getBytes();
        byte[] big = new byte[200];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        RepositorySession s = client.open(ref("app"), AuthConfig.NONE, true);
        s.upload(new Descriptor("x", Digest.of(small), small.length), () -> new ByteArrayInputStream(small));
        assertThat(registry.count("PATCH", "/uploads/")).isZero();
        s.upload(new Descriptor("x", Digest.of(big), big.length), () -> new ByteArrayInputStream(big));
        assertThat(registry.count("PATCH", "/uploads/")).isEqualTo(4);
        assertThat(registry.blob("app", Digest.of(small))).isEqualTo(small);
        assertThat(registry.blob("app", Digest.of(big))).isEqualTo(big);
        assertThat(s.exists(Digest.of(big))).isTrue();
        byte[] manifest = "{\"schemaVersion\":2}".getBytes();
        assertThat(s.putManifest("v1", MediaTypes.OCI_MANIFEST, manifest)).isEqualTo(Digest.of(manifest));
        assertThat(s.manifest("v1").orElseThrow().body()).isEqualTo(manifest);
    }

    @Test void uploadRetriesByReopeningTheSource() throws IOException {
        assertUploadRecoversFrom(500, "UNKNOWN", "disk hiccup", 1);
    }

    @Test void uploadDroppedByTheRegistryStartsOver() throws IOException {
        assertUploadRecoversFrom(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", 2);
    }

    /** The first PUT of an upload fails with {@code status}; the upload still lands, from a reopened source. */
    private void assertUploadRecoversFrom(int status, String code, String message, int uploadsStarted) throws IOException {
        byte[] data = ("recovers from " + status).getBytes();
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger failPuts = new AtomicInteger(1);
        registry.override = x -> {
            if (!x.getRequestMethod().equals("PUT") || failPuts.getAndDecrement() <= 0) return false;
            x.getRequestBody().readAllBytes();
            FakeRegistryServer.error(x, status, code, message);
            return true;
        };
        client.open(ref("app"), AuthConfig.NONE, true).upload(new Descriptor("x", Digest.of(data), data.length), () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(data);
        });
        assertThat(opened.get()).isEqualTo(2);
        assertThat(registry.count("POST", "/blobs/uploads/")).isEqualTo(uploadsStarted);
        assertThat(registry.blob("app", Digest.of(data))).isEqualTo(data);
    }

    @Test void resumeWithRange() throws IOException {
        byte[] data = "0123456789".getBytes();
        Digest d = registry.putBlob("app", data);
        try (InputStream in = client.open(ref("app"), AuthConfig.NONE, false).blob(new Descriptor("x", d, data.length), 4)) {
            assertThat(new String(in.readAllBytes())).isEqualTo("456789");
        }
        assertThat(registry.requests.getLast().headers().get("Range")).isEqualTo("bytes=4-");
    }

    @Test void insecureLoopbackFallsBackToPlainHttp() throws IOException {
        Digest d = seedImage("app", "v1");
        assertThat(client.open(ref("app"), AuthConfig.NONE, false).manifest("v1").orElseThrow().digest()).isEqualTo(d);
        HttpRegistryClient strict = new HttpRegistryClient(RegistryOptions.defaults(certs), false, FAST, 64, PROBE, PROBE);
        assertThatThrownBy(() -> strict.open(ref("app"), AuthConfig.NONE, false).manifest("v1"))
                .isInstanceOf(BerthException.Unavailable.class).hasMessageStartingWith("Get \"https://" + registry.host() + "/v2/\": ");
        HttpRegistryClient listed = new HttpRegistryClient(new RegistryOptions(List.of(), List.of("127.0.0.0/8"), certs, 3, 5), false, FAST, 64, TIMEOUT, PROBE);
        assertThat(listed.open(ref("app"), AuthConfig.NONE, false).manifest("v1")).isPresent();
    }

    @Test void unreachableRegistryIsUnavailable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RepositorySession s = client.open(Reference.parse("127.0.0.1:" + port + "/app"), AuthConfig.NONE, false);
        assertThatThrownBy(() -> s.manifest("latest")).isInstanceOf(BerthException.Unavailable.class)
                .hasMessage("Get \"http://127.0.0.1:" + port + "/v2/\": dial tcp 127.0.0.1:" + port + ": connect: connection refused");
    }

    @Test void mirrorsServeHubPullsAndNeverSeeCredentials() throws IOException {
        Digest d = seedImage("library/busybox", "latest");
        HttpRegistryClient mirrored = new HttpRegistryClient(
                new RegistryOptions(List.of(registry.base()), List.of(), certs, 3, 5), true, FAST, 64, TIMEOUT, PROBE);
        RepositorySession s = mirrored.open(Reference.parse("busybox"), creds("alice", "secret"), false);
        assertThat(s.repository().name()).isEqualTo("docker.io/library/busybox");
        assertThat(s.manifest("latest").map(FetchedManifest::digest)).isEqualTo(Optional.of(d));
        assertThat(registry.requests).allSatisfy(r -> assertThat(r.authorization()).isNull());
    }
}
