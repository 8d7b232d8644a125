package io.berth.engine.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link RepositorySession} over one {@link RegistryConnection} (opened lazily, at the first request): the
 * distribution API's manifest, blob, upload and tag calls on {@code /v2/<path>/…} with scopes
 * {@code repository:<path>:pull[,push]}. Manifests are verified against the digest asked for (or the
 * {@code Docker-Content-Digest} of a tag); blobs are held to their size. Errors of a pull session read as moby's
 * pull errors ("pull access denied for …").
 */
final class HttpRepositorySession implements RepositorySession {
    static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST,
            MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX);
    private static final int MANIFEST_LIMIT = 4 << 20;
    private static final int SMALL_BODY_LIMIT = 4 << 20;
    private static final int UPLOAD_ATTEMPTS = 3;
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final Reference repository;
    private final boolean push;
    private final Supplier<RegistryConnection> connector;
    private final long chunkSize;
    private final List<String> scopes;
    private volatile RegistryConnection connection;

    HttpRepositorySession(Reference repository, boolean push, Supplier<RegistryConnection> connector, long chunkSize) {
        this.repository = new Reference(repository.domain(), repository.path(), null, null);
        this.push = push;
        this.connector = connector;
        this.chunkSize = chunkSize;
        this.scopes = List.of(scope(repository.path(), push));
    }

    static String scope(String path, boolean push) {
        return "repository:" + path + ":" + (push ? "pull,push" : "pull");
    }

    @Override public Reference repository() { return repository; }

    /** The connection, pinging the registry on first use. */
    RegistryConnection connection() {
        RegistryConnection c = connection;
        if (c == null) {
            synchronized (this) {
                c = connection;
                if (c == null) connection = c = connector.get();
            }
        }
        return c;
    }

    @Override public Optional<FetchedManifest> manifest(String tagOrDigest) throws IOException {
        HttpResponse<InputStream> r = send("GET", manifestPath(tagOrDigest), Map.of("Accept", MANIFEST_ACCEPT));
        if (r.statusCode() == 404) return notFound(r);
        byte[] body = RegistryTransport.readAll(r, MANIFEST_LIMIT);
        if (r.statusCode() != 200) throw failure(r, body);
        Digest computed = Digest.of(body);
        Digest expected = Digest.isDigest(tagOrDigest) ? Digest.parse(tagOrDigest)
                : r.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse).orElse(computed);
        if (!computed.equals(expected)) {
            throw new BerthException.SystemError("manifest verification failed for digest " + expected, null);
        }
        return Optional.of(new FetchedManifest(mediaType(r.headers().firstValue("Content-Type").orElse(""), body), computed, body));
    }

    @Override public Optional<Digest> resolve(String tag) throws IOException {
        HttpResponse<InputStream> r = send("HEAD", manifestPath(tag), Map.of("Accept", MANIFEST_ACCEPT));
        RegistryTransport.discard(r);
        if (r.statusCode() == 404) return Optional.empty();
        if (r.statusCode() != 200) throw failure(r, new byte[0]);
        Optional<Digest> header = r.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse);
        return header.isPresent() ? header : manifest(tag).map(FetchedManifest::digest);
    }

    @Override public InputStream blob(Descriptor blob, long offset) throws IOException {
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> r = send("GET", blobPath(blob.digest()), headers);
        int status = r.statusCode();
        if (status != 200 && status != 206) throw failure(r, RegistryTransport.readAll(r, SMALL_BODY_LIMIT));
        InputStream in = r.body();
        long skip = status == 200 ? offset : 0;
        long expected = blob.size() - offset;
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (length >= 0 && length != expected + skip) {
            in.close();
            throw new BlobSizeMismatch("blob " + blob.digest() + ": the registry sends " + length + " bytes, its descriptor says "
                    + blob.size() + (offset > 0 ? " from offset " + offset : ""));
        }
        if (skip > 0) in.skipNBytes(skip);
        return BoundedBlobStream.blob(in, expected, "blob " + blob.digest());
    }

    @Override public boolean exists(Digest blob) throws IOException {
        HttpResponse<InputStream> r = send("HEAD", blobPath(blob.toString()), Map.of());
        RegistryTransport.discard(r);
        if (r.statusCode() == 200) return true;
        if (r.statusCode() == 404) return false;
        throw failure(r, new byte[0]);
    }

    @Override public boolean mount(Digest blob, String fromRepository) throws IOException {
        String path = "/v2/" + repository.path() + "/blobs/uploads/?mount=" + enc(blob.toString()) + "&from=" + enc(fromRepository);
        List<String> mountScopes = List.of(scopes.getFirst(), scope(fromRepository, false));
        HttpResponse<InputStream> r = connection().send(request("POST", connection().uri(path), mountScopes, Map.of()));
        RegistryTransport.discard(r);
        if (r.statusCode() == 201) return true;
        if (r.statusCode() == 202) r.headers().firstValue("Location").ifPresent(l -> cancel(location(r, l)));
        else if (r.statusCode() == 401) throw failure(r, new byte[0]);
        return false;
    }

    @Override public void upload(Descriptor blob, BlobSource data) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                uploadOnce(blob, data);
                return;
            } catch (IOException | BerthException.Unavailable | BerthException.NotFound e) {
                // a broken connection, a registry error, or an upload the registry dropped after a failed PUT:
                // start a new upload from a freshly opened source
                if (attempt >= UPLOAD_ATTEMPTS) throw e;
            }
        }
    }

    private void uploadOnce(Descriptor blob, BlobSource data) throws IOException {
        HttpResponse<InputStream> start = send("POST", "/v2/" + repository.path() + "/blobs/uploads/", Map.of());
        RegistryTransport.discard(start);
        if (start.statusCode() != 202) throw failure(start, new byte[0]);
        URI location = location(start, start.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("the registry started an upload without a Location")));
        Map<String, String> octets = Map.of("Content-Type", "application/octet-stream");
        if (blob.size() > chunkSize) {
            location = patchChunks(location, blob, data);
            data = () -> InputStream.nullInputStream();
            finish(location, blob, data, 0, octets);
        } else {
            finish(location, blob, data, blob.size(), octets);
        }
    }

    /** PATCHes the blob in chunks of {@code chunkSize}, each streamed from the one source stream (never buffered). */
    private URI patchChunks(URI location, Descriptor blob, BlobSource data) throws IOException {
        try (InputStream in = data.open()) {
            long offset = 0;
            while (offset < blob.size()) {
                long length = Math.min(chunkSize, blob.size() - offset);
                Map<String, String> headers = Map.of("Content-Type", "application/octet-stream",
                        "Content-Range", offset + "-" + (offset + length - 1));
                InputStream chunk = BoundedBlobStream.slice(in, length, "blob " + blob.digest() + " source");
                HttpResponse<InputStream> r = connection().sendOnce(request("PATCH", location, scopes, headers)
                        .withBody(() -> chunk, length));
                RegistryTransport.discard(r);
                if (r.statusCode() != 202) throw failure(r, new byte[0]);
                URI next = location;
                location = r.headers().firstValue("Location").map(l -> location(r, l)).orElse(next);
                offset += length;
            }
        }
        return location;
    }

    private void finish(URI location, Descriptor blob, BlobSource data, long length, Map<String, String> headers) throws IOException {
        String loc = location.toString();
        URI put = URI.create(loc + (loc.contains("?") ? "&" : "?") + "digest=" + enc(blob.digest()));
        HttpResponse<InputStream> r = connection().send(request("PUT", put, scopes, headers).withBody(data, length));
        byte[] body = RegistryTransport.readAll(r, SMALL_BODY_LIMIT);
        if (r.statusCode() != 201 && r.statusCode() != 204) throw failure(r, body);
    }

    @Override public Digest putManifest(String tagOrDigest, String mediaType, byte[] body) throws IOException {
        RegistryConnection c = connection();
        HttpResponse<InputStream> r = c.send(request("PUT", c.uri(manifestPath(tagOrDigest)), scopes, Map.of("Content-Type", mediaType))
                .withBody(() -> new java.io.ByteArrayInputStream(body), body.length));
        byte[] answer = RegistryTransport.readAll(r, SMALL_BODY_LIMIT);
        if (r.statusCode() != 201 && r.statusCode() != 200 && r.statusCode() != 202) throw failure(r, answer);
        return r.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse).orElse(Digest.of(body));
    }

    @Override public List<String> tags() throws IOException {
        List<String> tags = new ArrayList<>();
        URI next = connection().uri("/v2/" + repository.path() + "/tags/list");
        for (int page = 0; next != null && page < 10_000; page++) {
            HttpResponse<InputStream> r = connection().send(request("GET", next, scopes, Map.of("Accept", "application/json")));
            byte[] body = RegistryTransport.readAll(r, SMALL_BODY_LIMIT);
            if (r.statusCode() != 200) throw failure(r, body);
            JsonNode json = Json.plain().readTree(body);
            for (JsonNode t : json.path("tags")) tags.add(t.asText());
            URI current = next;
            next = r.headers().firstValue("Link").map(NEXT_LINK::matcher).filter(Matcher::find)
                    .map(m -> current.resolve(m.group(1))).orElse(null);
        }
        return tags;
    }

    private <T> Optional<T> notFound(HttpResponse<InputStream> r) throws IOException {
        byte[] body = RegistryTransport.readAll(r, SMALL_BODY_LIMIT);
        List<RegistryErrors.RegistryError> errors = RegistryErrors.parse(404, r.headers(), body);
        if (!errors.isEmpty() && errors.getFirst().code().equals("NAME_UNKNOWN")) throw translate(404, errors);
        return Optional.empty();
    }

    private BerthException failure(HttpResponse<InputStream> r, byte[] body) {
        return translate(r.statusCode(), RegistryErrors.parse(r.statusCode(), r.headers(), body));
    }

    private BerthException translate(int status, List<RegistryErrors.RegistryError> errors) {
        return push ? RegistryErrors.toException(status, errors) : RegistryErrors.forPull(repository, status, errors);
    }

    private HttpResponse<InputStream> send(String method, String path, Map<String, String> headers) {
        RegistryConnection c = connection();
        return c.send(request(method, c.uri(path), scopes, headers));
    }

    private static RegistryTransport.Request request(String method, URI uri, List<String> scopes, Map<String, String> headers) {
        return RegistryTransport.Request.of(method, uri, scopes, headers);
    }

    private URI location(HttpResponse<InputStream> r, String location) {
        return r.uri().resolve(location);
    }

    private void cancel(URI upload) {
        try {
            RegistryTransport.discard(connection().send(request("DELETE", upload, scopes, Map.of())));
        } catch (BerthException ignored) {
            // an abandoned upload expires on the registry
        }
    }

    private String manifestPath(String reference) { return "/v2/" + repository.path() + "/manifests/" + reference; }

    private String blobPath(String digest) { return "/v2/" + repository.path() + "/blobs/" + digest; }

    /** The media type of a manifest: its Content-Type when it names one, else its {@code mediaType} field. */
    static String mediaType(String contentType, byte[] body) {
        String type = contentType.split(";", 2)[0].trim();
        if (MediaTypes.isIndex(type) || MediaTypes.isManifest(type)) return type;
        try {
            String field = Json.plain().readTree(body).path("mediaType").asText("");
            if (!field.isEmpty()) return field;
            if (Json.plain().readTree(body).has("manifests")) return MediaTypes.OCI_INDEX;
        } catch (IOException | RuntimeException ignored) {
            // not JSON: keep what the registry said
        }
        return type.isEmpty() ? MediaTypes.OCI_MANIFEST : type;
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
