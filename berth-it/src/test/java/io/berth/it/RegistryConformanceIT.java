package io.berth.it;

import static io.berth.it.support.OciDataSets.concat;
import static io.berth.it.support.OciHttp.digest;
import static io.berth.it.support.OciHttp.withQuery;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthRegistry;
import io.berth.it.support.LocalRegistry;
import io.berth.it.support.OciDataSets;
import io.berth.it.support.OciDataSets.Blob;
import io.berth.it.support.OciDataSets.DataSet;
import io.berth.it.support.OciDataSets.Doc;
import io.berth.it.support.OciHttp;
import io.berth.it.support.OciHttp.Reply;
import io.berth.it.support.RegistryUnderTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OCI distribution-spec conformance checklist ({@code ../shared/reference/oci-distribution-conformance.md}),
 * black-box over HTTP: ping, empty repository, the blob APIs per algorithm, ranges, well-known blobs, bad-digest
 * uploads, every data set (push, tags, head/pull by tag and digest, referrers, delete), manifest errors, tag-list
 * pagination and the referrers filter. Run against {@code berth registry serve} (everything must pass) and, as a
 * control, against Debian's docker-registry 2.8, whose known gaps ({@link Gap}) are asserted to be gaps: such a check
 * must fail there ("expected-unsupported") — it is never skipped, and never skipped for Berth.
 */
class RegistryConformanceIT {
    /** What the control (distribution 2.8) does not do; Berth must do all of it. */
    enum Gap {
        /** The referrers API and the {@code OCI-Subject} header (OCI 1.1). */
        REFERRERS,
        /** {@code PUT /manifests/<digest>?tag=} with {@code OCI-Tag} answers (OCI 1.1). */
        TAG_PARAM,
        /** {@code ?mount=} without {@code from} (OCI 1.1). */
        MOUNT_ANONYMOUS,
        /** Manifests addressed by a sha512 digest. */
        SHA512_MANIFESTS,
        /** Blobs (uploads) by a sha512 digest. */
        SHA512_BLOBS,
        /** Deleting a tag with {@code DELETE /manifests/<tag>}. */
        DELETE_TAG,
        /** Non-distributable layers whose blobs were never pushed. */
        NON_DISTRIBUTABLE,
        /** A chunk at the wrong offset is refused with 416 (distribution 2.8 ignores {@code Content-Range}). */
        CHUNK_ORDER,
        /** A monolithic {@code POST ?digest=} with the body answers 201 (distribution 2.8 answers 202: PUT follows). */
        MONOLITHIC_POST,
        /** An unsatisfiable {@code Range} answers 416 (distribution 2.8 breaks the response's framing). */
        BAD_RANGE,
        /** {@code PUT /manifests/sha256:baddigeststring} answers 400 (distribution 2.8 answers 500). */
        BAD_DIGEST_REFERENCE,
        /** Tag lists sorted, with {@code n}, {@code last} and {@code Link}. */
        TAG_PAGINATION,
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Berth extends Checks {
        @Override RegistryUnderTest start() { return BerthRegistry.plain(); }

        @Override Set<Gap> gaps() { return EnumSet.noneOf(Gap.class); }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class DockerRegistryControl extends Checks {
        @Override RegistryUnderTest start() { return LocalRegistry.plain(); }

        @Override Set<Gap> gaps() {
            return EnumSet.of(Gap.REFERRERS, Gap.TAG_PARAM, Gap.MOUNT_ANONYMOUS, Gap.SHA512_MANIFESTS, Gap.SHA512_BLOBS,
                    Gap.NON_DISTRIBUTABLE, Gap.CHUNK_ORDER, Gap.DELETE_TAG, Gap.BAD_DIGEST_REFERENCE, Gap.MONOLITHIC_POST, Gap.BAD_RANGE, Gap.TAG_PAGINATION);
        }
    }

    static final String MANIFEST_ACCEPT = String.join(", ", OciDataSets.OCI_MANIFEST, OciDataSets.OCI_INDEX,
            "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json");

    /** The checks, against the registry {@link #start()} makes once per class. */
    abstract static class Checks {
        private static final AtomicInteger REPOS = new AtomicInteger();

        RegistryUnderTest registry;
        OciHttp http;
        final Random random = new Random(42);

        abstract RegistryUnderTest start();

        abstract Set<Gap> gaps();

        @BeforeAll void up() {
            registry = start();
            http = registry.http();
        }

        @AfterAll void down() {
            if (registry != null) registry.close();
        }

        String repo() { return "conformance/r" + REPOS.incrementAndGet(); }

        byte[] bytes(int n) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }

        /** Runs {@code check}; on the control, a {@code gap} must make it fail; on Berth it must pass. */
        void feature(Gap gap, Runnable check) {
            features(List.of(gap), check);
        }

        /** Runs {@code check}, which needs every one of {@code needed}: it must fail when the registry lacks one. */
        void features(List<Gap> needed, Runnable check) {
            List<Gap> missing = needed.stream().filter(gaps()::contains).toList();
            if (missing.isEmpty()) {
                check.run();
                return;
            }
            try {
                check.run();
            } catch (AssertionError | RuntimeException expected) {
                return;
            }
            throw new AssertionError(missing + " is listed as unsupported by " + registry.getClass().getSimpleName()
                    + " but the check passed: update the control's gaps");
        }

        static Reply expect(Reply r, int... statuses) {
            for (int s : statuses) if (r.status() == s) return r;
            throw new AssertionError("expected " + java.util.Arrays.toString(statuses) + ": " + r);
        }

        // ---- 1, 2: ping and an empty repository ----

        @Test void ping() {
            Reply r = expect(http.get("/v2/"), 200);
            assertThat(r.header("Docker-Distribution-Api-Version")).isEqualTo("registry/2.0");
        }

        @Test void emptyRepository() {
            String repo = repo();
            Reply tags = expect(http.get("/v2/" + repo + "/tags/list"), 200, 404);
            if (tags.status() == 404) assertThat(tags.errorCode()).isEqualTo("NAME_UNKNOWN");
            feature(Gap.REFERRERS, () -> {
                Reply r = expect(http.get("/v2/" + repo + "/referrers/" + digest("sha256", bytes(32))), 200);
                assertThat(r.header("Content-Type")).startsWith(OciDataSets.OCI_INDEX);
                assertThat(r.json().path("schemaVersion").asInt()).isEqualTo(2);
                assertThat(r.json().path("mediaType").asText()).isEqualTo(OciDataSets.OCI_INDEX);
                assertThat(r.json().path("manifests").size()).isZero();
            });
        }

        // ---- 3: the blob APIs, per algorithm ----

        void blobs(String alg, Runnable check, Gap... alsoNeeded) {
            List<Gap> needed = new ArrayList<>(List.of(alsoNeeded));
            if (alg.equals("sha512")) needed.add(Gap.SHA512_BLOBS);
            features(needed, check);
        }

        @ParameterizedTest @ValueSource(strings = {"sha256", "sha512"})
        void blobGetMissing(String alg) {
            Reply r = expect(http.get("/v2/" + repo() + "/blobs/" + digest(alg, bytes(16))), 404);
            assertThat(r.errorCode()).isIn("BLOB_UNKNOWN", "NAME_UNKNOWN");
        }

        @ParameterizedTest @ValueSource(strings = {"sha256", "sha512"})
        void blobPostOnly(String alg) {
            blobs(alg, () -> {
                String repo = repo();
                byte[] blob = bytes(512);
                String d = digest(alg, blob);
                Reply r = postOnly(repo, blob, d);
                if (r.status() == 202) {
                    Reply put = expect(http.send("PUT", withQuery(r.location(), "digest", d), blob, "Content-Type", "application/octet-stream"), 201);
                    verifyBlob(repo, blob, d, put.location());
                    feature(Gap.MONOLITHIC_POST, () -> {
                        throw new AssertionError("monolithic POST answered 202, not 201: " + r);
                    });
                } else {
                    verifyBlob(repo, blob, d, r.location());
                }
            });
        }

        @ParameterizedTest @ValueSource(strings = {"sha256", "sha512"})
        void blobPostPut(String alg) {
            blobs(alg, () -> {
                String repo = repo();
                byte[] blob = bytes(512);
                String d = digest(alg, blob);
                verifyBlob(repo, blob, d, postPut(repo, blob, d));
            });
        }

        @ParameterizedTest @ValueSource(strings = {"sha256", "sha512"})
        void blobChunkedSingle(String alg) {
            blobs(alg, () -> chunked(alg, 512, false));
        }

        @ParameterizedTest @ValueSource(strings = {"sha256", "sha512"})
        void blobChunkedMulti(String alg) {
            blobs(alg, () -> chunked(alg, 3 * 1024 - 5, false));
        }

        @ParameterizedTest @ValueSource(strings = {"sha256", "sha512"})
        void blobChunkedMultiAndPutChunk(String alg) {
            blobs(alg, () -> chunked(alg, 3 * 1024 - 5, true));
        }

        @ParameterizedTest @ValueSource(strings = {"sha256", "sha512"})
        void blobChunkedOutOfOrder(String alg) {
            blobs(alg, () -> outOfOrder(alg, false), Gap.CHUNK_ORDER);
        }

        @ParameterizedTest @ValueSource(strings = {"sha256", "sha512"})
        void blobChunkedOutOfOrderAndPutChunk(String alg) {
            blobs(alg, () -> outOfOrder(alg, true), Gap.CHUNK_ORDER);
        }

        @ParameterizedTest @ValueSource(strings = {"sha256", "sha512"})
        void blobStream(String alg) {
            blobs(alg, () -> {
                String repo = repo();
                byte[] blob = bytes(512);
                String d = digest(alg, blob);
                URI loc = expect(http.send("POST", "/v2/" + repo + "/blobs/uploads/", null), 202).location();
                loc = expect(http.send("PATCH", loc.toString(), blob, "Content-Type", "application/octet-stream"), 202).location();
                Reply done = expect(http.send("PUT", withQuery(loc, "digest", d), null), 201);
                verifyBlob(repo, blob, d, done.location());
            });
        }

        @Test void blobPostCancel() {
            String repo = repo();
            URI loc = expect(http.send("POST", "/v2/" + repo + "/blobs/uploads/", null), 202).location();
            loc = expect(http.send("PATCH", loc.toString(), bytes(100), "Content-Type", "application/octet-stream"), 202).location();
            expect(http.delete(loc.toString()), 204);
            Reply gone = expect(http.get(loc.toString()), 404);
            assertThat(gone.errorCode()).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        }

        @ParameterizedTest @ValueSource(strings = {"sha256", "sha512"})
        void blobMount(String alg) {
            blobs(alg, () -> {
                String from = repo();
                String to = repo();
                byte[] blob = bytes(512);
                String d = digest(alg, blob);
                postPut(from, blob, d);
                Reply r = expect(http.send("POST", "/v2/" + to + "/blobs/uploads/?mount=" + d + "&from=" + from, null), 201, 202);
                if (r.status() == 202) throw new AssertionError("cross-repository mount unsupported: " + r);
                assertThat(r.header("Location")).isNotNull();
                assertThat(r.header("Docker-Content-Digest")).isIn(null, d);
                verifyBlob(to, blob, d, r.location());
            });
        }

        @Test void blobMountAnonymous() {
            String from = repo();
            String to = repo();
            byte[] blob = bytes(512);
            String d = digest("sha256", blob);
            postPut(from, blob, d);
            feature(Gap.MOUNT_ANONYMOUS, () -> {
                Reply r = expect(http.send("POST", "/v2/" + to + "/blobs/uploads/?mount=" + d, null), 201, 202);
                if (r.status() == 202) {
                    http.delete(r.location().toString());
                    throw new AssertionError("mount without from unsupported: " + r);
                }
                verifyBlob(to, blob, d, r.location());
            });
        }

        @Test void blobMountMissing() {
            String from = repo();
            String to = repo();
            Reply r = http.send("POST", "/v2/" + to + "/blobs/uploads/?mount=" + digest("sha256", bytes(64)) + "&from=" + from, null);
            assertThat(r.status()).as(r.toString()).isNotEqualTo(201);
            if (r.status() == 202) expect(http.delete(r.location().toString()), 204);
        }

        Reply postOnly(String repo, byte[] blob, String d) {
            return expect(http.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, blob,
                    "Content-Type", "application/octet-stream"), 201, 202);
        }

        URI postPut(String repo, byte[] blob, String d) {
            URI loc = expect(http.send("POST", "/v2/" + repo + "/blobs/uploads/", null), 202).location();
            Reply r = expect(http.send("PUT", withQuery(loc, "digest", d), blob, "Content-Type", "application/octet-stream"), 201);
            assertThat(r.header("Location")).isNotNull();
            return r.location();
        }

        void chunked(String alg, int size, boolean lastInPut) {
            String repo = repo();
            byte[] blob = bytes(size);
            String d = digest(alg, blob);
            Reply post = expect(http.send("POST", "/v2/" + repo + "/blobs/uploads/", new byte[0]), 202);
            int min = Math.max(1024, post.header("OCI-Chunk-Min-Length") == null ? 0 : Integer.parseInt(post.header("OCI-Chunk-Min-Length")));
            URI loc = post.location();
            int off = 0;
            while (off < size) {
                int end = Math.min(size, off + min);
                if (lastInPut && end == size) break;
                Reply r = expect(patch(loc, blob, off, end), 202);
                assertThat(r.header("Range")).isEqualTo("0-" + (end - 1));
                loc = r.location();
                off = end;
            }
            byte[] rest = java.util.Arrays.copyOfRange(blob, off, size);
            Reply done = expect(http.send("PUT", withQuery(loc, "digest", d), rest,
                    "Content-Type", "application/octet-stream"), 201);
            verifyBlob(repo, blob, d, done.location());
        }

        Reply patch(URI loc, byte[] blob, int start, int end) {
            return http.send("PATCH", loc.toString(), java.util.Arrays.copyOfRange(blob, start, end),
                    "Content-Type", "application/octet-stream", "Content-Range", start + "-" + (end - 1));
        }

        void outOfOrder(String alg, boolean lastInPut) {
            String repo = repo();
            int min = 1024;
            byte[] blob = bytes(3 * min - 5);
            String d = digest(alg, blob);
            URI loc = expect(http.send("POST", "/v2/" + repo + "/blobs/uploads/", new byte[0]), 202).location();
            loc = expect(patch(loc, blob, 0, min), 202).location();
            Reply refused = expect(patch(loc, blob, 2 * min, 3 * min - 5), 416);
            assertThat(refused.errorCode()).isIn(null, "BLOB_UPLOAD_INVALID", "RANGE_INVALID");
            Reply status = expect(http.get(loc.toString()), 204);
            assertThat(status.header("Range")).isEqualTo("0-" + (min - 1));
            assertThat(status.header("Location")).isNotNull();
            loc = expect(patch(loc, blob, min, 2 * min), 202).location();
            byte[] rest = new byte[0];
            if (lastInPut) rest = java.util.Arrays.copyOfRange(blob, 2 * min, blob.length);
            else loc = expect(patch(loc, blob, 2 * min, blob.length), 202).location();
            Reply done = expect(http.send("PUT", withQuery(loc, "digest", d), rest, "Content-Type", "application/octet-stream"), 201);
            verifyBlob(repo, blob, d, done.location());
        }

        /** After a push: HEAD, GET, the created Location, DELETE, then HEAD is 404. */
        void verifyBlob(String repo, byte[] blob, String d, URI location) {
            String path = "/v2/" + repo + "/blobs/" + d;
            Reply head = expect(http.head(path), 200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(blob.length));
            assertThat(head.header("Docker-Content-Digest")).isIn(null, d);
            Reply get = expect(http.get(path), 200);
            assertThat(get.body()).isEqualTo(blob);
            assertThat(get.header("Content-Length")).isEqualTo(String.valueOf(blob.length));
            assertThat(get.header("Docker-Content-Digest")).isIn(null, d);
            assertThat(expect(http.get(location.toString()), 200).body()).isEqualTo(blob);
            expect(http.delete(path), 202);
            expect(http.head(path), 404);
        }

        // ---- 4: ranges ----

        @Test void blobRanges() {
            String repo = repo();
            byte[] blob = bytes(2048);
            String d = digest("sha256", blob);
            postPut(repo, blob, d);
            String path = "/v2/" + repo + "/blobs/" + d;
            range(path, "bytes=500-1499", blob, 500, 1500);
            range(path, "bytes=500-", blob, 500, 2048);
            range(path, "bytes=-500", blob, 1548, 2048);
            range(path, "bytes=2000-5000", blob, 2000, 2048);
            feature(Gap.BAD_RANGE, () -> expect(http.get(path, "Range", "bytes=500-0"), 416));
            feature(Gap.BAD_RANGE, () -> expect(http.get(path, "Range", "bytes=5000-10000"), 416));
        }

        void range(String path, String spec, byte[] blob, int from, int to) {
            Reply r = expect(http.get(path, "Range", spec), 206);
            assertThat(r.body()).as(spec).isEqualTo(java.util.Arrays.copyOfRange(blob, from, to));
            assertThat(r.header("Content-Length")).as(spec).isEqualTo(String.valueOf(to - from));
            assertThat(r.header("Content-Range")).as(spec).isIn("bytes " + from + "-" + (to - 1) + "/" + blob.length,
                    "bytes " + from + "-" + (to - 1) + "/*");
        }

        // ---- 5: well-known blobs ----

        @ParameterizedTest @ValueSource(strings = {"", "{}"})
        void wellKnownBlob(String content) {
            String repo = repo();
            byte[] blob = content.getBytes(StandardCharsets.UTF_8);
            String d = digest("sha256", blob);
            verifyBlob(repo, blob, d, postPut(repo, blob, d));
        }

        // ---- 6: bad-digest uploads ----

        @ParameterizedTest @ValueSource(strings = {"post-only", "post-put", "chunked", "chunked-put-chunk", "stream"})
        void badDigestUpload(String mode) {
            String repo = repo();
            byte[] blob = bytes(2048);
            byte[] body = concat(blob, "extra".getBytes(StandardCharsets.UTF_8));
            String claimed = digest("sha256", blob);
            String uploads = "/v2/" + repo + "/blobs/uploads/";
            Reply last = switch (mode) {
                case "post-only" -> {
                    Reply r = http.send("POST", uploads + "?digest=" + claimed, body, "Content-Type", "application/octet-stream");
                    yield r.status() != 202 ? r : http.send("PUT", withQuery(r.location(), "digest", claimed), body,
                            "Content-Type", "application/octet-stream");
                }
                case "post-put" -> http.send("PUT", withQuery(expect(http.send("POST", uploads, null), 202).location(), "digest", claimed),
                        body, "Content-Type", "application/octet-stream");
                case "chunked", "chunked-put-chunk" -> {
                    URI loc = expect(http.send("POST", uploads, new byte[0]), 202).location();
                    loc = expect(patch(loc, body, 0, 1024), 202).location();
                    byte[] rest = java.util.Arrays.copyOfRange(body, 1024, body.length);
                    if (mode.equals("chunked")) {
                        loc = expect(patch(loc, body, 1024, body.length), 202).location();
                        rest = new byte[0];
                    }
                    yield http.send("PUT", withQuery(loc, "digest", claimed), rest, "Content-Type", "application/octet-stream");
                }
                default -> {
                    URI loc = expect(http.send("POST", uploads, null), 202).location();
                    loc = expect(http.send("PATCH", loc.toString(), body, "Content-Type", "application/octet-stream"), 202).location();
                    yield http.send("PUT", withQuery(loc, "digest", claimed), null);
                }
            };
            expect(last, 400);
            assertThat(last.errorCode()).isEqualTo("DIGEST_INVALID");
            expect(http.head("/v2/" + repo + "/blobs/" + claimed), 404);
            expect(http.head("/v2/" + repo + "/blobs/" + digest("sha256", body)), 404);
        }

        // ---- 7: the data sets ----

        List<String> dataSets() { return OciDataSets.NAMES; }

        @ParameterizedTest @MethodSource("dataSets")
        void dataSet(String name) {
            DataSet ds = OciDataSets.named(name);
            if (ds.algorithm().equals("sha512")) feature(Gap.SHA512_MANIFESTS, () -> runDataSet(ds));
            else if (!ds.tagParams().isEmpty()) feature(Gap.TAG_PARAM, () -> runDataSet(ds));
            else if (name.equals("non-distributable-layers")) feature(Gap.NON_DISTRIBUTABLE, () -> runDataSet(ds));
            else runDataSet(ds);
        }

        void runDataSet(DataSet ds) {
            String repo = repo();
            String v2 = "/v2/" + repo;
            for (Blob b : ds.blobs()) {
                if (b.mediaType().equals(OciDataSets.LAYER_NONDIST)) continue;
                postPut(repo, b.content(), b.digest());
            }
            for (Doc doc : ds.docs()) {
                boolean last = doc == ds.last();
                String target = v2 + "/manifests/" + doc.digest();
                if (last && !ds.tagParams().isEmpty()) {
                    target += "?" + String.join("&", ds.tagParams().stream().map(t -> "tag=" + t).toList());
                }
                Reply put = expect(http.send("PUT", target, doc.content(), "Content-Type", doc.mediaType()), 201);
                assertThat(put.header("Location")).as(put.toString()).isNotNull();
                assertThat(put.header("Docker-Content-Digest")).isIn(null, doc.digest());
                if (last && !ds.tagParams().isEmpty()) {
                    assertThat(put.headerValues("OCI-Tag").stream().flatMap(v -> List.of(v.split(",\\s*")).stream()).toList())
                            .containsExactlyInAnyOrderElementsOf(ds.tagParams());
                }
                if (doc.subject() != null) {
                    feature(Gap.REFERRERS, () -> assertThat(put.header("OCI-Subject")).as(put.toString()).isEqualTo(doc.subject()));
                }
            }
            Doc top = ds.last();
            for (String tag : ds.tags()) {
                expect(http.send("PUT", v2 + "/manifests/" + tag, top.content(), "Content-Type", top.mediaType()), 201);
            }
            // tag list, and ?last=
            List<String> expectedTags = new ArrayList<>(ds.tags());
            expectedTags.addAll(ds.tagParams());
            JsonNode tags = expect(http.get(v2 + "/tags/list"), 200).json();
            assertThat(tags.path("name").asText()).isEqualTo(repo);
            List<String> listed = new ArrayList<>();
            tags.path("tags").forEach(t -> listed.add(t.asText()));
            assertThat(listed).containsExactlyInAnyOrderElementsOf(expectedTags);
            String first = expectedTags.stream().sorted().findFirst().orElseThrow();
            feature(Gap.TAG_PAGINATION, () -> {
                List<String> after = new ArrayList<>();
                expect(http.get(v2 + "/tags/list?last=" + first), 200).json().path("tags").forEach(t -> after.add(t.asText()));
                assertThat(after).containsExactlyElementsOf(expectedTags.stream().sorted().filter(t -> t.compareTo(first) > 0).toList());
            });
            // head and pull, by tag and by digest
            for (Doc doc : ds.docs()) pullManifest(v2, doc.digest(), doc);
            for (String tag : expectedTags) pullManifest(v2, tag, top);
            // referrers
            for (String subject : ds.docs().stream().map(Doc::subject).filter(java.util.Objects::nonNull).distinct().toList()) {
                feature(Gap.REFERRERS, () -> referrers(v2, subject, ds.referrersOf(subject)));
            }
            // delete: tags, manifests in reverse order, blobs
            for (String tag : expectedTags) {
                feature(Gap.DELETE_TAG, () -> {
                    expect(http.delete(v2 + "/manifests/" + tag), 202);
                    expect(http.head(v2 + "/manifests/" + tag, "Accept", MANIFEST_ACCEPT), 404);
                });
            }
            for (Doc doc : ds.docs().reversed()) {
                expect(http.delete(v2 + "/manifests/" + doc.digest()), 202);
                expect(http.head(v2 + "/manifests/" + doc.digest(), "Accept", MANIFEST_ACCEPT), 404);
            }
            for (Blob b : ds.blobs()) {
                if (b.mediaType().equals(OciDataSets.LAYER_NONDIST)) continue;
                expect(http.delete(v2 + "/blobs/" + b.digest()), 202);
                expect(http.head(v2 + "/blobs/" + b.digest()), 404);
            }
        }

        void pullManifest(String v2, String ref, Doc doc) {
            String path = v2 + "/manifests/" + ref;
            Reply head = expect(http.head(path, "Accept", MANIFEST_ACCEPT), 200);
            assertThat(head.header("Content-Type")).as(path).isEqualTo(doc.mediaType());
            assertThat(head.header("Content-Length")).as(path).isEqualTo(String.valueOf(doc.content().length));
            // by tag, a manifest pushed by a sha512 digest may be named by its canonical sha256 digest as well
            List<String> digests = ref.contains(":") ? List.of(doc.digest()) : List.of(doc.digest(), digest("sha256", doc.content()));
            assertThat(head.header("Docker-Content-Digest")).as(path).isIn(digests);
            Reply get = expect(http.get(path, "Accept", MANIFEST_ACCEPT), 200);
            assertThat(get.header("Content-Type")).as(path).isEqualTo(doc.mediaType());
            assertThat(get.body()).as(path).isEqualTo(doc.content());
            assertThat(get.header("Docker-Content-Digest")).as(path).isIn(digests);
        }

        void referrers(String v2, String subject, List<Doc> expected) {
            Reply r = expect(http.get(v2 + "/referrers/" + subject), 200);
            assertThat(r.header("Content-Type")).startsWith(OciDataSets.OCI_INDEX);
            JsonNode index = r.json();
            assertThat(index.path("schemaVersion").asInt()).isEqualTo(2);
            assertThat(index.path("manifests").size()).isEqualTo(expected.size());
            for (Doc doc : expected) {
                JsonNode found = null;
                for (JsonNode m : index.path("manifests")) if (m.path("digest").asText().equals(doc.digest())) found = m;
                assertThat(found).as("referrer " + doc.digest() + " in " + index).isNotNull();
                assertThat(found.path("mediaType").asText()).isEqualTo(doc.mediaType());
                assertThat(found.path("size").asLong()).isEqualTo(doc.content().length);
                assertThat(found.path("artifactType").asText(null)).isEqualTo(doc.artifactType());
                JsonNode annotations = found.path("annotations");
                if (doc.annotations() != null) {
                    doc.annotations().forEach((k, v) -> assertThat(annotations.path(k).asText()).isEqualTo(v));
                }
            }
            for (Doc doc : expected) {
                Reply filtered = expect(http.get(v2 + "/referrers/" + subject + "?artifactType=" + doc.artifactType()), 200);
                if ("artifactType".equals(filtered.header("OCI-Filters-Applied"))) {
                    filtered.json().path("manifests").forEach(m ->
                            assertThat(m.path("artifactType").asText()).isEqualTo(doc.artifactType()));
                    assertThat(filtered.json().path("manifests").size())
                            .isEqualTo(expected.stream().filter(e -> e.artifactType().equals(doc.artifactType())).count());
                } else {
                    throw new AssertionError("artifactType filter not applied: " + filtered);
                }
            }
        }

        @Test void badDigestImage() {
            String repo = repo();
            DataSet ds = OciDataSets.named("image");
            for (Blob b : ds.blobs()) postPut(repo, b.content(), b.digest());
            Doc m = ds.last();
            String wrong = digest("sha256", concat(m.content(), new byte[] {' '}));
            Reply r = expect(http.send("PUT", "/v2/" + repo + "/manifests/" + wrong, m.content(), "Content-Type", m.mediaType()), 400);
            assertThat(r.errorCode()).isEqualTo("DIGEST_INVALID");
            expect(http.head("/v2/" + repo + "/manifests/" + wrong, "Accept", MANIFEST_ACCEPT), 404);
            expect(http.head("/v2/" + repo + "/manifests/" + m.digest(), "Accept", MANIFEST_ACCEPT), 404);
        }

        // ---- 8: manifest errors ----

        @Test void manifestErrors() {
            String repo = repo();
            DataSet ds = OciDataSets.named("no-layers");
            for (Blob b : ds.blobs()) postPut(repo, b.content(), b.digest());
            Reply byDigest = expect(http.get("/v2/" + repo + "/manifests/" + digest("sha256", bytes(32)), "Accept", MANIFEST_ACCEPT), 404);
            assertThat(byDigest.errorCode()).isIn("MANIFEST_UNKNOWN", "NAME_UNKNOWN");
            Reply byTag = expect(http.get("/v2/" + repo + "/manifests/tag" + random.nextInt(1_000_000), "Accept", MANIFEST_ACCEPT), 404);
            assertThat(byTag.errorCode()).isIn("MANIFEST_UNKNOWN", "NAME_UNKNOWN");
            Doc m = ds.last();
            feature(Gap.BAD_DIGEST_REFERENCE, () -> {
                Reply put = expect(http.send("PUT", "/v2/" + repo + "/manifests/sha256:baddigeststring", m.content(),
                        "Content-Type", m.mediaType()), 400);
                assertThat(put.errorCode()).isIn("DIGEST_INVALID", "MANIFEST_INVALID", "TAG_INVALID");
                expect(http.get("/v2/" + repo + "/manifests/sha256:baddigeststring", "Accept", MANIFEST_ACCEPT), 404, 400);
            });
        }

        // ---- discovery: tag pagination, the referrers filter ----

        @Test void tagListPagination() {
            feature(Gap.TAG_PAGINATION, this::paginateTags);
        }

        void paginateTags() {
            String repo = repo();
            DataSet ds = OciDataSets.named("no-layers");
            for (Blob b : ds.blobs()) postPut(repo, b.content(), b.digest());
            Doc m = ds.last();
            List<String> tags = List.of("a1", "b2", "c3", "d4", "e5");
            for (String t : tags) expect(http.send("PUT", "/v2/" + repo + "/manifests/" + t, m.content(), "Content-Type", m.mediaType()), 201);
            Reply page = expect(http.get("/v2/" + repo + "/tags/list?n=2"), 200);
            assertThat(page.json().path("tags").toString()).isEqualTo("[\"a1\",\"b2\"]");
            String link = page.header("Link");
            assertThat(link).as(page.toString()).contains("rel=\"next\"").contains("/v2/" + repo + "/tags/list?");
            String next = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            Reply second = expect(http.get(next), 200);
            assertThat(second.json().path("tags").toString()).isEqualTo("[\"c3\",\"d4\"]");
            Reply tail = expect(http.get("/v2/" + repo + "/tags/list?n=2&last=d4"), 200);
            assertThat(tail.json().path("tags").toString()).isEqualTo("[\"e5\"]");
            assertThat(tail.header("Link")).isNull();
            assertThat(expect(http.get("/v2/" + repo + "/tags/list?last=b2"), 200).json().path("tags").toString())
                    .isEqualTo("[\"c3\",\"d4\",\"e5\"]");
        }
    }
}
