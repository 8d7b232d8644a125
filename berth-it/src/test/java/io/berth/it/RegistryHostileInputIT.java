package io.berth.it;

import static io.berth.it.support.OciDataSets.concat;
import static io.berth.it.support.OciHttp.digest;
import static io.berth.it.support.OciHttp.withQuery;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthRegistry;
import io.berth.it.support.Cmd;
import io.berth.it.support.OciDataSets;
import io.berth.it.support.OciDataSets.Blob;
import io.berth.it.support.OciDataSets.DataSet;
import io.berth.it.support.OciDataSets.Doc;
import io.berth.it.support.OciHttp;
import io.berth.it.support.OciHttp.Reply;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input against {@code berth registry}: digest mismatches, oversized manifests (413), path traversal in
 * repository names, bad ranges, bad JSON and manifests that reference nothing, and auth bypass attempts (no or wrong
 * credentials, wrong scopes, another user's repository, expired and forged tokens) — each refused with the right
 * status and code, and nothing stored.
 */
class RegistryHostileInputIT {
    static Reply expect(Reply r, int... statuses) {
        return RegistryConformanceIT.Checks.expect(r, statuses);
    }

    static void pushBlobs(OciHttp http, String repo, DataSet ds) {
        for (Blob b : ds.blobs()) {
            URI loc = expect(http.send("POST", "/v2/" + repo + "/blobs/uploads/", null), 202).location();
            expect(http.send("PUT", withQuery(loc, "digest", b.digest()), b.content(), "Content-Type", "application/octet-stream"), 201);
        }
    }

    /** Files under the registry's root, to prove a refusal stored nothing. */
    static List<Path> files(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/uploads/")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Open {
        BerthRegistry registry;
        OciHttp http;

        @BeforeAll void up() {
            registry = BerthRegistry.plain();
            http = registry.http();
        }

        @AfterAll void down() { registry.close(); }

        @Test void blobDigestMismatchIsRefusedAndNothingStored() {
            byte[] blob = "the real content".getBytes(StandardCharsets.UTF_8);
            String other = digest("sha256", "something else".getBytes(StandardCharsets.UTF_8));
            List<Path> before = files(registry.root());
            Reply post = http.send("POST", "/v2/hostile/digest/blobs/uploads/?digest=" + other, blob, "Content-Type", "application/octet-stream");
            expect(post, 400);
            assertThat(post.errorCode()).isEqualTo("DIGEST_INVALID");
            URI loc = expect(http.send("POST", "/v2/hostile/digest/blobs/uploads/", null), 202).location();
            Reply put = expect(http.send("PUT", withQuery(loc, "digest", other), blob, "Content-Type", "application/octet-stream"), 400);
            assertThat(put.errorCode()).isEqualTo("DIGEST_INVALID");
            Reply garbage = expect(http.send("PUT", withQuery(expect(http.send("POST", "/v2/hostile/digest/blobs/uploads/", null), 202).location(),
                    "digest", "sha256:zz"), blob), 400);
            assertThat(garbage.errorCode()).isEqualTo("DIGEST_INVALID");
            expect(http.head("/v2/hostile/digest/blobs/" + other), 404);
            expect(http.head("/v2/hostile/digest/blobs/" + digest("sha256", blob)), 404);
            assertThat(files(registry.root())).isEqualTo(before);
        }

        @Test void oversizedManifestIs413AndNothingStored() {
            DataSet ds = OciDataSets.named("no-layers");
            pushBlobs(http, "hostile/big", ds);
            Map<String, Object> m = OciDataSets.obj("schemaVersion", 2, "mediaType", OciDataSets.OCI_MANIFEST,
                    "config", ds.blobs().getFirst().descriptor(), "layers", List.of(),
                    "annotations", Map.of("pad", "x".repeat(4 * 1024 * 1024 + 10)));
            byte[] body = OciHttp.json(m);
            Reply r = expect(http.send("PUT", "/v2/hostile/big/manifests/huge", body, "Content-Type", OciDataSets.OCI_MANIFEST), 413);
            assertThat(r.errorCode()).isIn("SIZE_INVALID", "MANIFEST_INVALID");
            expect(http.head("/v2/hostile/big/manifests/" + digest("sha256", body), "Accept", OciDataSets.OCI_MANIFEST), 404);
            expect(http.head("/v2/hostile/big/manifests/huge", "Accept", OciDataSets.OCI_MANIFEST), 404);
            Reply tags = expect(http.get("/v2/hostile/big/tags/list"), 200, 404);
            assertThat(tags.text()).doesNotContain("huge");
        }

        @ParameterizedTest
        @ValueSource(strings = {"../escape", "a/../../escape", "a/%2e%2e/%2e%2e/escape", "%2e%2e/escape", "a/./b", "a//b",
                "UPPER/case", "a/..%2f..%2fescape", "a%2f..%2f..%2fescape", "-lead", "a/b/", "a/b.."})
        void pathTraversalInNamesIsRefusedAndNothingStored(String name) throws IOException {
            Path outside = registry.root().getParent();
            List<Path> before = files(outside);
            DataSet ds = OciDataSets.named("no-layers");
            Doc m = ds.last();
            Blob cfg = ds.blobs().getFirst();
            Reply post = http.send("POST", "/v2/" + name + "/blobs/uploads/?digest=" + cfg.digest(), cfg.content(),
                    "Content-Type", "application/octet-stream");
            assertThat(post.status()).as(post.toString()).isIn(400, 404);
            Reply put = http.send("PUT", "/v2/" + name + "/manifests/latest", m.content(), "Content-Type", m.mediaType());
            assertThat(put.status()).as(put.toString()).isIn(400, 404);
            if (put.status() == 400) assertThat(put.errorCode()).isIn("NAME_INVALID", "MANIFEST_BLOB_UNKNOWN");
            Reply get = http.get("/v2/" + name + "/tags/list");
            assertThat(get.status()).as(get.toString()).isIn(400, 404);
            assertThat(files(outside)).isEqualTo(before);
            assertThat(Files.exists(outside.resolve("escape"))).isFalse();
            Reply catalog = expect(http.get("/v2/_catalog"), 200);
            assertThat(catalog.text()).doesNotContain("escape").doesNotContain("..");
        }

        @Test void badRangesAreRefused() {
            byte[] blob = new byte[100];
            new java.util.Random(1).nextBytes(blob);
            pushBlobs(http, "hostile/range", new DataSet("r", "sha256",
                    List.of(new Blob("application/octet-stream", blob, digest("sha256", blob))), List.of(), List.of(), List.of()));
            String path = "/v2/hostile/range/blobs/" + digest("sha256", blob);
            for (String spec : List.of("bytes=50-10", "bytes=100-200", "bytes=1000-", "bytes=-0")) {
                Reply r = expect(http.get(path, "Range", spec), 416);
                assertThat(r.header("Content-Range")).as(spec).isIn(null, "bytes */100");
            }
            for (String spec : List.of("bytes=abc", "items=0-5", "bytes=0-5,10-20", "bytes=--5")) {
                Reply r = http.get(path, "Range", spec);
                assertThat(r.status()).as(spec).isIn(200, 206, 416);
                if (r.status() == 200) assertThat(r.body()).as(spec).isEqualTo(blob);
                if (r.status() == 206) assertThat(r.body()).as(spec).isEqualTo(java.util.Arrays.copyOfRange(blob, 0, 6));
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"{not json", "[]", "null", "{\"schemaVersion\":1}", "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:nothex\",\"size\":1},\"layers\":[]}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":-1},\"layers\":[]}"})
        void badJsonManifestsAreRefusedAndNothingStored(String body) {
            String repo = "hostile/json";
            Reply r = expect(http.send("PUT", "/v2/" + repo + "/manifests/bad", body.getBytes(StandardCharsets.UTF_8),
                    "Content-Type", OciDataSets.OCI_MANIFEST), 400);
            assertThat(r.errorCode()).as(r.toString()).isIn("MANIFEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "DIGEST_INVALID");
            expect(http.head("/v2/" + repo + "/manifests/bad", "Accept", OciDataSets.OCI_MANIFEST), 404);
        }

        @Test void manifestReferencingUnknownBlobsIsRefused() {
            DataSet ds = OciDataSets.named("image");
            Doc m = ds.last();
            Reply r = expect(http.send("PUT", "/v2/hostile/unknown/manifests/v1", m.content(), "Content-Type", m.mediaType()), 400);
            assertThat(r.errorCode()).isEqualTo("MANIFEST_BLOB_UNKNOWN");
            expect(http.head("/v2/hostile/unknown/manifests/v1", "Accept", m.mediaType()), 404);
            expect(http.head("/v2/hostile/unknown/manifests/" + m.digest(), "Accept", m.mediaType()), 404);
        }

        @Test void manifestDigestMismatchIsRefused() {
            DataSet ds = OciDataSets.named("no-layers");
            pushBlobs(http, "hostile/mdigest", ds);
            Doc m = ds.last();
            String wrong = digest("sha256", concat(m.content(), new byte[] {'\n'}));
            Reply r = expect(http.send("PUT", "/v2/hostile/mdigest/manifests/" + wrong, m.content(), "Content-Type", m.mediaType()), 400);
            assertThat(r.errorCode()).isEqualTo("DIGEST_INVALID");
            expect(http.head("/v2/hostile/mdigest/manifests/" + m.digest(), "Accept", m.mediaType()), 404);
        }
    }

    /** Two users, each owning a project; the access rules say who may do what. */
    abstract static class Authenticated {
        static final String ACCESS = """
                {"rules": [
                  {"repository": "alice/*", "users": {"alice": ["pull", "push", "delete"], "bob": ["pull"]}},
                  {"repository": "bob/*", "users": {"bob": ["pull", "push", "delete"]}}
                ]}""";
        static final List<String> DENIED_CODES = List.of("DENIED", "UNAUTHORIZED");
        BerthRegistry registry;
        Path dir;

        abstract BerthRegistry start(Path htpasswd, Path access);

        @BeforeAll void up() throws IOException {
            dir = Files.createTempDirectory("berth-it-regauth-");
            Path htpasswd = dir.resolve("htpasswd");
            String alice = Cmd.of("htpasswd", "-Bbn", "alice", "alice-pw").run().ok().out().strip();
            String bob = Cmd.of("htpasswd", "-Bbn", "bob", "bob-pw").run().ok().out().strip();
            Files.writeString(htpasswd, alice + "\n" + bob + "\n");
            Path access = dir.resolve("access.json");
            Files.writeString(access, ACCESS);
            registry = start(htpasswd, access);
        }

        @AfterAll void down() throws IOException {
            if (registry != null) registry.close();
            io.berth.it.support.BerthDaemon.deleteTree(dir);
        }

        /** A client acting as {@code user} (null: anonymous) for {@code scope}. */
        abstract OciHttp as(String user, String password, String scope);

        void refusedAndNothingStored(OciHttp client, String repo, int status, String code) {
            refusedAndNothingStored(client, repo, new int[] {status}, List.of(code));
        }

        void refusedAndNothingStored(OciHttp client, String repo, int[] statuses, List<String> codes) {
            DataSet ds = OciDataSets.named("no-layers");
            Blob cfg = ds.blobs().getFirst();
            Reply post = client.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + cfg.digest(), cfg.content(),
                    "Content-Type", "application/octet-stream");
            expect(post, statuses);
            assertThat(post.errorCode()).isIn(codes);
            if (post.status() == 401) assertThat(post.header("WWW-Authenticate")).isNotNull();
            Reply put = client.send("PUT", "/v2/" + repo + "/manifests/latest", ds.last().content(), "Content-Type", ds.last().mediaType());
            expect(put, statuses);
            OciHttp owner = as("alice", "alice-pw", "repository:" + repo + ":pull");
            OciHttp bobOwner = as("bob", "bob-pw", "repository:" + repo + ":pull");
            Reply head = (repo.startsWith("alice/") ? owner : bobOwner).head("/v2/" + repo + "/blobs/" + cfg.digest());
            expect(head, 404);
        }

        @Test void anonymousIsChallenged() {
            Reply r = expect(registry.http().get("/v2/"), 401);
            assertThat(r.header("WWW-Authenticate")).isNotNull();
            assertThat(r.errorCode()).isEqualTo("UNAUTHORIZED");
            refusedAndNothingStored(registry.http(), "alice/app", 401, "UNAUTHORIZED");
        }

        @Test void wrongPasswordIsRefused() {
            Reply r = registry.http().basic("alice", "wrong").get("/v2/");
            expect(r, 401);
            refusedAndNothingStored(registry.http().basic("alice", "wrong"), "alice/app", 401, "UNAUTHORIZED");
        }

        @Test void anotherUsersRepositoryIsRefused() {
            refusedAndNothingStored(as("bob", "bob-pw", "repository:alice/app:pull,push"), "alice/app", deniedStatuses(), DENIED_CODES);
            refusedAndNothingStored(as("alice", "alice-pw", "repository:bob/app:pull,push"), "bob/app", deniedStatuses(), DENIED_CODES);
        }

        @Test void ownerMayPush() {
            OciHttp alice = as("alice", "alice-pw", "repository:alice/owned:pull,push");
            DataSet ds = OciDataSets.named("no-layers");
            pushBlobs(alice, "alice/owned", ds);
            expect(alice.send("PUT", "/v2/alice/owned/manifests/latest", ds.last().content(), "Content-Type", ds.last().mediaType()), 201);
            expect(as("bob", "bob-pw", "repository:alice/owned:pull").get("/v2/alice/owned/manifests/latest", "Accept", ds.last().mediaType()), 200);
            expect(as("bob", "bob-pw", "repository:alice/owned:pull,delete").delete("/v2/alice/owned/manifests/" + ds.last().digest()), deniedStatuses());
        }

        /** A user without the right: 403 DENIED (Basic); with tokens 401 (insufficient scope) or 403. */
        int[] deniedStatuses() { return new int[] {403}; }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Htpasswd extends Authenticated {
        @Override BerthRegistry start(Path htpasswd, Path access) {
            return BerthRegistry.withArgs(BerthRegistry.freePort(), List.of("--htpasswd", htpasswd.toString(), "--access", access.toString()));
        }

        @Override OciHttp as(String user, String password, String scope) {
            return user == null ? registry.http() : registry.http().basic(user, password);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Token extends Authenticated {
        @Override BerthRegistry start(Path htpasswd, Path access) {
            int port = BerthRegistry.freePort();
            String realm = "http://127.0.0.1:" + port + "/token";
            return BerthRegistry.withArgs(port, List.of("--htpasswd", htpasswd.toString(), "--access", access.toString(), "--token-realm", realm));
        }

        /** A Bearer token from the registry's own token service, for {@code scope}. */
        String token(String user, String password, String scope) {
            Reply r = expect(registry.http().basic(user, password).get("/token?service=berth-registry&scope=" + scope), 200);
            return r.json().path("token").asText();
        }

        @Override OciHttp as(String user, String password, String scope) {
            return user == null ? registry.http() : registry.http().authorization("Bearer " + token(user, password, scope));
        }

        @Override int[] deniedStatuses() { return new int[] {401, 403}; }

        @Test void tokenServiceRefusesWrongPassword() {
            expect(registry.http().basic("alice", "nope").get("/token?service=berth-registry&scope=repository:alice/app:pull"), 401);
        }

        @Test void tokenForOneScopeDoesNotOpenAnother() {
            String pullOnly = token("alice", "alice-pw", "repository:alice/app:pull");
            refusedAndNothingStored(registry.http().authorization("Bearer " + pullOnly), "alice/app", 401, "UNAUTHORIZED");
            String other = token("alice", "alice-pw", "repository:alice/other:pull,push");
            refusedAndNothingStored(registry.http().authorization("Bearer " + other), "alice/app", 401, "UNAUTHORIZED");
        }

        @Test void forgedAndExpiredTokensAreRefused() {
            String real = token("alice", "alice-pw", "repository:alice/app:pull,push");
            String[] parts = real.split("\\.");
            Base64.Decoder dec = Base64.getUrlDecoder();
            Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
            String payload = new String(dec.decode(parts[1]), StandardCharsets.UTF_8);
            // bob's claims under alice's signature
            String asBob = parts[0] + "." + enc.encodeToString(payload.replace("\"alice\"", "\"bob\"").replace("alice/app", "bob/app")
                    .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
            refusedAndNothingStored(registry.http().authorization("Bearer " + asBob), "bob/app", 401, "UNAUTHORIZED");
            // unsigned ("alg":"none")
            String none = enc.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
            refusedAndNothingStored(registry.http().authorization("Bearer " + none), "alice/app", 401, "UNAUTHORIZED");
            // expired: exp in the past, re-signed would need the key, so the old signature also breaks: both must fail
            String expired = parts[0] + "." + enc.encodeToString(payload.replaceAll("\"exp\":\\d+", "\"exp\":1000000000")
                    .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
            refusedAndNothingStored(registry.http().authorization("Bearer " + expired), "alice/app", 401, "UNAUTHORIZED");
            refusedAndNothingStored(registry.http().authorization("Bearer garbage"), "alice/app", 401, "UNAUTHORIZED");
        }
    }
}
