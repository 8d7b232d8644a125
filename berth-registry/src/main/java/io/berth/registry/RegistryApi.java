package io.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import io.berth.oci.MediaTypes;
import io.berth.registry.auth.RegistryAccess;
import io.berth.registry.auth.Scope;
import io.berth.registry.spec.BlobDigest;
import io.berth.registry.spec.RegistryError;
import io.berth.registry.spec.RepositoryName;
import io.berth.registry.storage.BlobStore;
import io.berth.registry.storage.Repositories.Repo;
import io.berth.registry.storage.Repositories;
import io.berth.registry.storage.Uploads;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The distribution API's routes ({@code /v2/…}): blobs, uploads, mounts, manifests, tags, referrers and the catalog,
 * each asking {@link RegistryAccess} for the scopes it needs first.
 */
final class RegistryApi implements Router.Routes {
    private static final String NAME = "/v2/{name:.+}";
    private static final int CACHED_MANIFEST = 64 * 1024;
    private static final int CACHE_ENTRIES = 8192;

    private final BlobStore blobs;
    private final Uploads uploads;
    private final Repositories repos;
    private final RegistryAccess access;
    private final Metrics metrics;
    private final ObjectMapper json;
    private final int maxManifest;
    private final Map<BlobDigest, byte[]> manifestCache = new ConcurrentHashMap<>();

    RegistryApi(BlobStore blobs, Uploads uploads, Repositories repos, RegistryAccess access, Metrics metrics,
                ObjectMapper json, int maxManifest) {
        this.blobs = blobs;
        this.uploads = uploads;
        this.repos = repos;
        this.access = access;
        this.metrics = metrics;
        this.json = json;
        this.maxManifest = maxManifest;
    }

    @Override public void register(Router.Builder r) {
        r.get("/v2/", this::base);
        r.get("/v2", this::base);
        r.get("/v2/_catalog", this::catalog);
        r.get(NAME + "/tags/list", this::tags);
        r.get(NAME + "/manifests/{reference}", this::getManifest);
        r.head(NAME + "/manifests/{reference}", this::getManifest);
        r.put(NAME + "/manifests/{reference}", this::putManifest);
        r.delete(NAME + "/manifests/{reference}", this::deleteManifest);
        r.post(NAME + "/blobs/uploads/", this::startUpload);
        r.post(NAME + "/blobs/uploads", this::startUpload);
        r.get(NAME + "/blobs/uploads/{uuid}", this::uploadStatus);
        r.route("PATCH", NAME + "/blobs/uploads/{uuid}", this::patchUpload);
        r.put(NAME + "/blobs/uploads/{uuid}", this::finishUpload);
        r.delete(NAME + "/blobs/uploads/{uuid}", this::cancelUpload);
        r.get(NAME + "/blobs/{digest}", this::getBlob);
        r.head(NAME + "/blobs/{digest}", this::getBlob);
        r.delete(NAME + "/blobs/{digest}", this::deleteBlob);
        r.get(NAME + "/referrers/{digest}", this::referrers);
    }

    // ---- access

    private String allow(Request req, String... actions) {
        String name = RepositoryName.check(req.param("name"));
        check(req, List.of(Scope.repository(name, actions)));
        return name;
    }

    private void check(Request req, List<Scope> scopes) {
        if (access.check(req.headers(), scopes) instanceof RegistryAccess.Refused no) {
            throw new RegistryError(no.status(), no.code(), no.message(), null,
                    no.challenge() == null ? null : "WWW-Authenticate", no.challenge());
        }
    }

    private void base(Request req, Response res) throws IOException {
        check(req, List.of());
        res.send(200, "application/json", "{}".getBytes());
    }

    // ---- blobs

    private void getBlob(Request req, Response res) throws IOException {
        String name = allow(req, "pull");
        BlobDigest d = BlobDigest.parse(req.param("digest"));
        Repo r = repos.find(name);
        if (r == null || !repos.hasLayer(r, d)) throw RegistryError.blobUnknown(d.toString());
        try (FileChannel ch = FileChannel.open(blobs.path(d), StandardOpenOption.READ)) {
            long size = ch.size();
            long start = 0, end = size - 1;
            int status = 200;
            String range = req.headers().get("Range");
            if (range != null && !req.method().equals("HEAD")) {
                long[] se = ByteRange.parse(range, size);
                start = se[0];
                end = se[1];
                status = 206;
                res.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
            res.header("Docker-Content-Digest", d.toString()).header("Accept-Ranges", "bytes").header("Etag", "\"" + d + "\"");
            long len = end - start + 1;
            res.file(status, "application/octet-stream", ch, start, len);
            if (req.method().equals("HEAD")) return;
            metrics.out(len);
        } catch (java.nio.file.NoSuchFileException e) {
            throw RegistryError.blobUnknown(d.toString());
        }
    }

    private void deleteBlob(Request req, Response res) throws IOException {
        String name = allow(req, "delete");
        BlobDigest d = BlobDigest.parse(req.param("digest"));
        Repo r = repos.find(name);
        if (r == null || !repos.unlinkLayer(r, d)) throw RegistryError.blobUnknown(d.toString());
        res.header("Docker-Content-Digest", d.toString()).empty(202);
    }

    // ---- uploads

    private void startUpload(Request req, Response res) throws IOException {
        String name = RepositoryName.check(req.param("name"));
        String mount = req.query("mount");
        String from = req.query("from");
        if (mount != null && from != null) {
            RepositoryName.check(from);
            check(req, List.of(Scope.repository(name, "pull", "push"), Scope.repository(from, "pull")));
            BlobDigest d = BlobDigest.parse(mount);
            Repo src = repos.find(from);
            if (src != null && repos.hasLayer(src, d) && blobs.touch(d)) {
                repos.linkLayer(repos.open(name), d);
                blobCreated(res, name, d);
                return;
            }
        } else {
            check(req, List.of(Scope.repository(name, "pull", "push")));
            if (mount != null && mountFromAnywhere(req, name, BlobDigest.parse(mount))) {
                blobCreated(res, name, BlobDigest.parse(mount));
                return;
            }
        }
        String digest = req.query("digest");
        if (digest != null) {
            BlobDigest d = BlobDigest.parse(digest);
            long n = blobs.ingest(req.body(), d, Long.MAX_VALUE);
            metrics.in(n);
            repos.linkLayer(repos.open(name), d);
            blobCreated(res, name, d);
            return;
        }
        Uploads.Upload u = uploads.start(name);
        uploadAccepted(res, name, u, 202);
    }

    /**
     * A mount without {@code from} (OCI distribution v1.1): links the blob when some repository holds it that this
     * client may pull — never one it may not read, so a digest alone opens nothing.
     */
    private boolean mountFromAnywhere(Request req, String name, BlobDigest d) throws IOException {
        for (String other : List.copyOf(repos.names())) {
            Repo src = repos.find(other);
            if (src == null || !repos.hasLayer(src, d)) continue;
            if (!(access.check(req.headers(), List.of(Scope.repository(other, "pull"))) instanceof RegistryAccess.Allowed)) continue;
            if (!blobs.touch(d)) return false;
            repos.linkLayer(repos.open(name), d);
            return true;
        }
        return false;
    }

    private void uploadStatus(Request req, Response res) throws IOException {
        String name = allow(req, "pull", "push");
        uploadAccepted(res, name, uploads.get(name, req.param("uuid")), 204);
    }

    private void patchUpload(Request req, Response res) throws IOException {
        String name = allow(req, "pull", "push");
        Uploads.Upload u = uploads.get(name, req.param("uuid"));
        u = append(req, u);
        uploadAccepted(res, name, u, 202);
    }

    private Uploads.Upload append(Request req, Uploads.Upload u) throws IOException {
        long start = ByteRange.contentRangeStart(req.headers().get("Content-Range"), u.offset());
        long before = u.offset();
        Uploads.Upload next = uploads.append(u, start, req.body(), null);
        metrics.in(next.offset() - before);
        return next;
    }

    private void finishUpload(Request req, Response res) throws IOException {
        String name = allow(req, "pull", "push");
        Uploads.Upload u = uploads.get(name, req.param("uuid"));
        String digest = req.query("digest");
        if (digest == null) throw RegistryError.digestInvalid("digest parameter missing");
        BlobDigest d = BlobDigest.parse(digest);
        if (!"0".equals(req.headers().get("Content-Length"))) u = append(req, u);
        uploads.finish(u, d);
        repos.linkLayer(repos.open(name), d);
        blobCreated(res, name, d);
    }

    private void cancelUpload(Request req, Response res) throws IOException {
        String name = allow(req, "pull", "push");
        Uploads.Upload u = uploads.get(name, req.param("uuid"));
        uploads.cancel(u.id());
        res.empty(204);
    }

    private static void blobCreated(Response res, String name, BlobDigest d) throws IOException {
        res.header("Location", "/v2/" + name + "/blobs/" + d).header("Docker-Content-Digest", d.toString()).empty(201);
    }

    private static void uploadAccepted(Response res, String name, Uploads.Upload u, int status) throws IOException {
        res.header("Location", "/v2/" + name + "/blobs/uploads/" + u.id())
                .header("Range", Uploads.range(u.offset()))
                .header("Docker-Upload-UUID", u.id());
        if (status == 202) res.header("Content-Length", "0");
        res.empty(status);
    }

    // ---- manifests

    private void getManifest(Request req, Response res) throws IOException {
        String name = allow(req, "pull");
        Repo r = repos.find(name);
        String ref = req.param("reference");
        if (r == null) throw RegistryError.nameUnknown(name);
        BlobDigest d = resolve(r, ref);
        String type = d == null ? null : repos.manifestType(r, d);
        if (type == null) throw RegistryError.manifestUnknown(ref);
        byte[] body = manifestCache.get(d);
        if (body == null) {
            try {
                body = Files.readAllBytes(blobs.path(d));
            } catch (java.nio.file.NoSuchFileException e) {
                throw RegistryError.manifestUnknown(ref);
            }
            cache(d, body);
        }
        if (!req.method().equals("HEAD")) metrics.out(body.length);
        res.header("Docker-Content-Digest", d.toString()).header("Etag", "\"" + d + "\"").send(200, type, body);
    }

    private BlobDigest resolve(Repo r, String ref) {
        if (ref.indexOf(':') >= 0) return BlobDigest.parse(ref);
        if (!RepositoryName.isTag(ref)) throw new RegistryError(400, "TAG_INVALID", "invalid tag", ref, null, null);
        return repos.tag(r, ref);
    }

    private void putManifest(Request req, Response res) throws IOException {
        String name = allow(req, "pull", "push");
        String ref = req.param("reference");
        boolean byDigest = ref.indexOf(':') >= 0;
        BlobDigest wanted = byDigest ? BlobDigest.parse(ref) : null;
        if (!byDigest && !RepositoryName.isTag(ref)) throw new RegistryError(400, "TAG_INVALID", "invalid tag", ref, null, null);
        List<String> extraTags = req.queryAll("tag");
        for (String t : extraTags) if (!RepositoryName.isTag(t)) throw new RegistryError(400, "TAG_INVALID", "invalid tag", t, null, null);
        String length = req.headers().get("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxManifest) throw tooLarge(req);
        byte[] body = req.body().readNBytes(maxManifest + 1);
        if (body.length > maxManifest) throw tooLarge(req);
        metrics.in(body.length);
        ParsedManifest m = ParsedManifest.parse(body, req.headers().get("Content-Type"), json);
        BlobDigest d = BlobDigest.of(wanted == null ? "sha256" : wanted.algorithm(), body);
        if (wanted != null && !wanted.equals(d)) throw RegistryError.digestInvalid("manifest digest is " + d);
        Repo r = repos.open(name);
        for (BlobDigest b : m.blobs()) {
            if (!repos.hasLayer(r, b) || !blobs.touch(b)) {
                throw new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", b.toString(), null, null);
            }
        }
        for (BlobDigest c : m.manifests()) {
            if (repos.manifestType(r, c) == null || !blobs.touch(c)) {
                throw new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", "manifest unknown to registry", c.toString(), null, null);
            }
        }
        blobs.put(d, body);
        cache(d, body);
        repos.putManifest(r, d, m.mediaType());
        if (!byDigest) repos.putTag(r, ref, d);
        for (String t : extraTags) repos.putTag(r, t, d);
        if (!extraTags.isEmpty()) res.header("OCI-Tag", String.join(", ", extraTags));
        if (m.subject() != null) {
            repos.putReferrer(r, m.subject(), d, json.writeValueAsBytes(m.referrerDescriptor(d, body.length)));
            res.header("OCI-Subject", m.subject().toString());
        }
        res.header("Location", "/v2/" + name + "/manifests/" + d).header("Docker-Content-Digest", d.toString()).empty(201);
    }

    /**
     * The 413 for a manifest over the limit. Up to 4× the limit of the body is read and dropped first, so the client,
     * still sending, reads the answer instead of a reset; beyond that the connection closes.
     */
    private RegistryError tooLarge(Request req) throws IOException {
        byte[] sink = new byte[64 * 1024];
        long left = 4L * maxManifest;
        int n;
        while (left > 0 && (n = req.body().read(sink, 0, (int) Math.min(sink.length, left))) > 0) left -= n;
        return new RegistryError(413, "SIZE_INVALID", "manifest too large", null, null, null);
    }

    private void cache(BlobDigest d, byte[] body) {
        if (body.length > CACHED_MANIFEST) return;
        if (manifestCache.size() >= CACHE_ENTRIES) manifestCache.clear();
        manifestCache.put(d, body);
    }

    private void deleteManifest(Request req, Response res) throws IOException {
        String name = allow(req, "delete");
        String ref = req.param("reference");
        Repo r = repos.find(name);
        if (r == null) throw RegistryError.nameUnknown(name);
        boolean done = ref.indexOf(':') >= 0 ? repos.deleteManifest(r, BlobDigest.parse(ref)) : repos.deleteTag(r, ref);
        if (!done) throw RegistryError.manifestUnknown(ref);
        res.empty(202);
    }

    // ---- listings

    private void tags(Request req, Response res) throws IOException {
        String name = allow(req, "pull");
        Repo r = repos.find(name);
        if (r == null) throw RegistryError.nameUnknown(name);
        List<String> page = page(req, r.tags().navigableKeySet(), res, "/v2/" + name + "/tags/list");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("tags", page);
        res.json(200, body);
    }

    private void catalog(Request req, Response res) throws IOException {
        check(req, List.of(new Scope("registry", "catalog", Set.of("*"))));
        res.json(200, Map.of("repositories", page(req, repos.names(), res, "/v2/_catalog")));
    }

    /** One page of {@code all} after {@code last}, at most {@code n}, with a {@code Link} to the next page. */
    private static List<String> page(Request req, NavigableSet<String> all, Response res, String path) {
        String last = req.query("last");
        NavigableSet<String> rest = last == null || last.isEmpty() ? all : all.tailSet(last, false);
        long n = req.hasQuery("n") ? req.longValue("n", -1) : -1;
        if (req.hasQuery("n") && n < 0) throw new RegistryError(400, "PAGINATION_NUMBER_INVALID", "invalid number of results requested", null, null, null);
        List<String> out = new ArrayList<>();
        if (n == 0) return out;
        for (String s : rest) {
            if (n >= 0 && out.size() >= n) {
                res.header("Link", "<" + path + "?n=" + n + "&last=" + java.net.URLEncoder.encode(out.getLast(), java.nio.charset.StandardCharsets.UTF_8) + ">; rel=\"next\"");
                break;
            }
            out.add(s);
        }
        return out;
    }

    private void referrers(Request req, Response res) throws IOException {
        String name = allow(req, "pull");
        BlobDigest subject = BlobDigest.parse(req.param("digest"));
        String artifactType = req.query("artifactType");
        Repo r = repos.find(name);
        List<JsonNode> manifests = new ArrayList<>();
        if (r != null) {
            for (byte[] b : repos.referrers(r, subject)) {
                JsonNode n = json.readTree(b);
                if (artifactType == null || artifactType.equals(n.path("artifactType").asText(null))) manifests.add(n);
            }
        }
        if (artifactType != null) res.header("OCI-Filters-Applied", "artifactType");
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", manifests);
        res.send(200, MediaTypes.OCI_INDEX, json.writeValueAsBytes(index));
    }
}
