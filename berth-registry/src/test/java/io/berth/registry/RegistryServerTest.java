package io.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.spec.BlobDigest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryServerTest {
    @TempDir Path root;
    RegistryServer server;
    HttpClient client = HttpClient.newHttpClient();
    String base;

    @BeforeEach void start() throws IOException { boot(); }

    @AfterEach void stop() {
        if (server != null) server.close();
    }

    private void boot() throws IOException {
        server = new RegistryServer(RegistryConfig.of(new InetSocketAddress("127.0.0.1", 0), root));
        base = "http://127.0.0.1:" + server.start().getPort();
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) { return new String(r.body(), StandardCharsets.UTF_8); }

    private static String sha(byte[] b) { return BlobDigest.sha256(b).toString(); }

    private String push(String repo, byte[] blob) throws Exception {
        var r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + sha(blob), blob);
        assertThat(r.statusCode()).isEqualTo(201);
        return sha(blob);
    }

    private String manifest(String config, byte[] configBytes, String layer, byte[] layerBytes, String extra) {
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":" + configBytes.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layer + "\",\"size\":" + layerBytes.length + "}]" + extra + "}";
    }

    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";

    @Test void baseAnswersWithApiVersion() throws Exception {
        var r = send("GET", "/v2/", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Docker-Distribution-Api-Version")).hasValue("registry/2.0");
    }

    @Test void blobsPullRangesAndStayInTheirRepository() throws Exception {
        byte[] blob = "hello, registry".getBytes();
        String d = push("team/app", blob);
        var get = send("GET", "/v2/team/app/blobs/" + d, null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(blob);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(d);
        var head = send("HEAD", "/v2/team/app/blobs/" + d, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(blob.length));
        var part = send("GET", "/v2/team/app/blobs/" + d, null, "Range", "bytes=7-14");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(text(part)).isEqualTo("registry");
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 7-14/" + blob.length);
        var bad = send("GET", "/v2/team/app/blobs/" + d, null, "Range", "bytes=100-200");
        assertThat(bad.statusCode()).isEqualTo(416);
        var other = send("GET", "/v2/other/blobs/" + d, null);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(text(other)).contains("BLOB_UNKNOWN");
        var mount = send("POST", "/v2/other/blobs/uploads/?mount=" + d + "&from=team/app", new byte[0]);
        assertThat(mount.statusCode()).isEqualTo(201);
        assertThat(mount.headers().firstValue("Location")).hasValue("/v2/other/blobs/" + d);
        assertThat(send("GET", "/v2/other/blobs/" + d, null).statusCode()).isEqualTo(200);
        var unknown = send("POST", "/v2/other/blobs/uploads/?mount=" + sha("nope".getBytes()) + "&from=team/app", new byte[0]);
        assertThat(unknown.statusCode()).isEqualTo(202);
        assertThat(send("DELETE", "/v2/other/blobs/" + d, null).statusCode()).isEqualTo(202);
        assertThat(send("GET", "/v2/other/blobs/" + d, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v2/team/app/blobs/" + d, null).statusCode()).isEqualTo(200);
    }

    @Test void digestMismatchStoresNothing() throws Exception {
        var r = send("POST", "/v2/a/blobs/uploads/?digest=" + sha("other".getBytes()), "data".getBytes());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).contains("DIGEST_INVALID");
        try (Stream<Path> s = Files.walk(root.resolve("blobs"))) {
            assertThat(s.filter(Files::isRegularFile).count()).isZero();
        }
        try (Stream<Path> s = Files.list(root.resolve("ingest"))) {
            assertThat(s.count()).isZero();
        }
    }

    @Test void chunkedUploadRefusesOutOfOrderAndSurvivesRestart() throws Exception {
        byte[] blob = "0123456789abcdef".getBytes();
        var post = send("POST", "/v2/a/blobs/uploads/", new byte[0]);
        assertThat(post.statusCode()).isEqualTo(202);
        String loc = post.headers().firstValue("Location").orElseThrow();
        var p1 = send("PATCH", loc, java.util.Arrays.copyOfRange(blob, 0, 5), "Content-Range", "0-4", "Content-Type", "application/octet-stream");
        assertThat(p1.statusCode()).isEqualTo(202);
        assertThat(p1.headers().firstValue("Range")).hasValue("0-4");
        var ooo = send("PATCH", loc, java.util.Arrays.copyOfRange(blob, 10, 16), "Content-Range", "10-15");
        assertThat(ooo.statusCode()).isEqualTo(416);
        assertThat(ooo.headers().firstValue("Range")).hasValue("0-4");
        server.close();
        boot();
        var status = send("GET", loc, null);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-4");
        var p2 = send("PATCH", loc, java.util.Arrays.copyOfRange(blob, 5, 10), "Content-Range", "5-9");
        assertThat(p2.statusCode()).isEqualTo(202);
        var put = send("PUT", loc + "?digest=" + sha(blob), java.util.Arrays.copyOfRange(blob, 10, 16));
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(sha(blob));
        assertThat(send("GET", "/v2/a/blobs/" + sha(blob), null).body()).isEqualTo(blob);
        assertThat(send("GET", loc, null).statusCode()).isEqualTo(404);
    }

    @Test void uploadCancelAndBadDigest() throws Exception {
        String loc = send("POST", "/v2/a/blobs/uploads/", new byte[0]).headers().firstValue("Location").orElseThrow();
        assertThat(send("DELETE", loc, null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", loc, null).statusCode()).isEqualTo(404);
        loc = send("POST", "/v2/a/blobs/uploads/", new byte[0]).headers().firstValue("Location").orElseThrow();
        var put = send("PUT", loc + "?digest=" + sha("x".getBytes()), "y".getBytes());
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(text(put)).contains("DIGEST_INVALID");
    }

    @Test void manifestsAreValidatedStoredAndServed() throws Exception {
        byte[] config = "{}".getBytes(), layer = "layer".getBytes();
        String c = push("app", config), l = push("app", layer);
        byte[] m = manifest(c, config, l, layer, "").getBytes();
        var put = send("PUT", "/v2/app/manifests/v1", m, "Content-Type", OCI);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(sha(m));
        var get = send("GET", "/v2/app/manifests/v1", null, "Accept", OCI);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(m);
        assertThat(get.headers().firstValue("Content-Type")).hasValue(OCI);
        assertThat(send("HEAD", "/v2/app/manifests/" + sha(m), null).statusCode()).isEqualTo(200);
        byte[] missing = manifest(c, config, sha("absent".getBytes()), layer, "").getBytes();
        var bad = send("PUT", "/v2/app/manifests/v2", missing, "Content-Type", OCI);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(text(bad)).contains("MANIFEST_BLOB_UNKNOWN");
        var wrongType = send("PUT", "/v2/app/manifests/v3", m, "Content-Type", "application/vnd.docker.distribution.manifest.v2+json");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(text(wrongType)).contains("MANIFEST_INVALID");
        assertThat(send("PUT", "/v2/app/manifests/v4", "{not json".getBytes(), "Content-Type", OCI).statusCode()).isEqualTo(400);
        byte[] huge = new byte[RegistryConfig.DEFAULT_MAX_MANIFEST + 1];
        assertThat(send("PUT", "/v2/app/manifests/v5", huge, "Content-Type", OCI).statusCode()).isEqualTo(413);
        var wrongDigest = send("PUT", "/v2/app/manifests/" + sha("x".getBytes()), m, "Content-Type", OCI);
        assertThat(text(wrongDigest)).contains("DIGEST_INVALID");
        assertThat(send("GET", "/v2/app/manifests/v9", null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/v2/app/manifests/" + sha(m), null).statusCode()).isEqualTo(202);
        assertThat(send("GET", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(404);
    }

    @Test void namesFollowTheGrammar() throws Exception {
        var r = send("GET", "/v2/a/..%2F..%2Fetc/blobs/" + sha("x".getBytes()), null);
        assertThat(r.statusCode()).isEqualTo(400);
        var up = send("GET", "/v2/UPPER/tags/list", null);
        assertThat(up.statusCode()).isEqualTo(400);
        assertThat(text(up)).contains("NAME_INVALID");
        var dots = send("POST", "/v2/a/../b/blobs/uploads/", new byte[0]);
        assertThat(dots.statusCode()).isIn(400, 404);
        try (Stream<Path> s = Files.list(root.resolve("repositories"))) {
            assertThat(s.count()).isZero();
        }
    }

    @Test void referrersTagsAndCatalog() throws Exception {
        byte[] config = "{}".getBytes(), layer = "layer".getBytes();
        String c = push("app", config), l = push("app", layer);
        byte[] m = manifest(c, config, l, layer, "").getBytes();
        for (String t : new String[] {"a", "b", "c"}) assertThat(send("PUT", "/v2/app/manifests/" + t, m, "Content-Type", OCI).statusCode()).isEqualTo(201);
        String subject = ",\"artifactType\":\"application/x-sig\",\"subject\":{\"mediaType\":\"" + OCI + "\",\"digest\":\"" + sha(m) + "\",\"size\":" + m.length + "}";
        byte[] art = manifest(c, config, l, layer, subject).getBytes();
        var put = send("PUT", "/v2/app/manifests/" + sha(art), art, "Content-Type", OCI);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).hasValue(sha(m));
        var refs = send("GET", "/v2/app/referrers/" + sha(m) + "?artifactType=application/x-sig", null);
        assertThat(refs.statusCode()).isEqualTo(200);
        assertThat(refs.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
        assertThat(text(refs)).contains(sha(art)).contains("application/x-sig");
        assertThat(text(send("GET", "/v2/app/referrers/" + sha(m) + "?artifactType=other", null))).doesNotContain(sha(art));
        var page = send("GET", "/v2/app/tags/list?n=2", null);
        assertThat(text(page)).contains("\"a\"", "\"b\"").doesNotContain("\"c\"");
        assertThat(page.headers().firstValue("Link")).hasValue("</v2/app/tags/list?n=2&last=b>; rel=\"next\"");
        assertThat(text(send("GET", "/v2/app/tags/list?n=2&last=b", null))).contains("\"c\"").doesNotContain("\"a\"");
        assertThat(send("GET", "/v2/nothing/tags/list", null).statusCode()).isEqualTo(404);
        var none = send("GET", "/v2/app/tags/list?n=0", null);
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(text(none)).contains("\"tags\":[]");
        push("zeta/one", "z".getBytes());
        assertThat(text(send("GET", "/v2/_catalog", null))).contains("\"app\"", "\"zeta/one\"");
        assertThat(text(send("GET", "/v2/_catalog?n=1", null))).contains("\"app\"").doesNotContain("zeta");
        assertThat(text(send("GET", "/metrics", null))).contains("berth_registry_requests_total{method=\"PUT\",status=\"201\"}", "berth_registry_storage_blobs");
    }

    @Test void garbageCollectionKeepsReferencedRecentAndInFlight() throws Exception {
        byte[] config = "{}".getBytes(), layer = "layer".getBytes(), orphan = "orphan".getBytes();
        String c = push("app", config), l = push("app", layer), o = push("app", orphan);
        byte[] m = manifest(c, config, l, layer, "").getBytes();
        assertThat(send("PUT", "/v2/app/manifests/v1", m, "Content-Type", OCI).statusCode()).isEqualTo(201);
        String loc = send("POST", "/v2/app/blobs/uploads/", new byte[0]).headers().firstValue("Location").orElseThrow();
        send("PATCH", loc, "in-".getBytes());
        // recent blobs are kept by the online collector
        assertThat(server.collectGarbage(false, false).blobsDeleted()).isZero();
        age(o);
        var dry = server.collectGarbage(true, false);
        assertThat(dry.blobsDeleted()).isEqualTo(1);
        assertThat(send("GET", "/v2/app/blobs/" + o, null).statusCode()).isEqualTo(200);
        var result = server.collectGarbage(false, false);
        assertThat(result.blobsDeleted()).isEqualTo(1);
        assertThat(result.bytesFreed()).isEqualTo(orphan.length);
        assertThat(send("GET", "/v2/app/blobs/" + o, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v2/app/blobs/" + l, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(200);
        var put = send("PUT", loc + "?digest=" + sha("in-flight".getBytes()), "flight".getBytes());
        assertThat(put.statusCode()).isEqualTo(201);
        // untagged manifests go with --delete-untagged once old
        assertThat(send("DELETE", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(202);
        age(sha(m));
        age(c);
        age(l);
        var untagged = server.collectGarbage(false, true);
        assertThat(untagged.manifestsDeleted()).isEqualTo(1);
        assertThat(send("GET", "/v2/app/manifests/" + sha(m), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v2/app/blobs/" + l, null).statusCode()).isEqualTo(404);
    }

    @Test void scheduledCollectionRunsOnlineAndKeepsWhatIsReferenced() throws Exception {
        byte[] config = "{}".getBytes(), layer = "layer".getBytes(), orphan = "orphan".getBytes();
        String c = push("app", config), l = push("app", layer), o = push("app", orphan);
        assertThat(send("PUT", "/v2/app/manifests/v1", manifest(c, config, l, layer, "").getBytes(), "Content-Type", OCI).statusCode())
                .isEqualTo(201);
        age(o);
        age(l);
        server.scheduleGarbageCollection(Duration.ofMillis(50), false);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (send("GET", "/v2/app/blobs/" + o, null).statusCode() != 404) {
            assertThat(System.nanoTime()).as("the scheduled collection removed the orphan").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(send("GET", "/v2/app/blobs/" + l, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(200);
        assertThat(server.lastScheduledCollection()).isNotNull();
    }

    @Test void everyRequestAsksTheAccessCheck() throws Exception {
        server.close();
        Path htpasswd = root.resolve("htpasswd");
        Files.writeString(htpasswd, "alice:$2y$05$CEkEGyXdEKLP3yQGS/YyMeBz.tQRJnKSM8o4Zva1l.thAwTA1DWRy\n");
        var auth = io.berth.registry.auth.RegistryAuth.from(io.berth.registry.auth.AuthOptions.none(root).withHtpasswd(htpasswd));
        server = new RegistryServer(RegistryConfig.of(new InetSocketAddress("127.0.0.1", 0), root), auth);
        base = "http://127.0.0.1:" + server.start().getPort();
        var anon = send("GET", "/v2/", null);
        assertThat(anon.statusCode()).isEqualTo(401);
        assertThat(anon.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(text(anon)).contains("UNAUTHORIZED");
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:correct horse".getBytes());
        assertThat(send("GET", "/v2/", null, "Authorization", basic).statusCode()).isEqualTo(200);
        var up = send("POST", "/v2/a/blobs/uploads/?digest=" + sha("x".getBytes()), "x".getBytes());
        assertThat(up.statusCode()).isEqualTo(401);
        assertThat(root.resolve("blobs/sha256").toFile().list()).isNullOrEmpty();
        assertThat(send("POST", "/v2/a/blobs/uploads/?digest=" + sha("x".getBytes()), "x".getBytes(), "Authorization", basic).statusCode()).isEqualTo(201);
    }

    private void age(String digest) throws IOException {
        BlobDigest d = BlobDigest.parse(digest);
        Files.setLastModifiedTime(root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex()),
                FileTime.fromMillis(System.currentTimeMillis() - Duration.ofHours(2).toMillis()));
    }
}
