package io.berth.engine.distribution;

import com.github.luben.zstd.ZstdOutputStream;
import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.engine.archive.TarWriter;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Index;
import io.berth.oci.Manifest;
import io.berth.oci.MediaTypes;
import io.berth.oci.Reference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPOutputStream;

/**
 * An in-memory registry behind the {@link RegistryClient} and {@link RepositorySession} contract, for pull tests
 * without a network: manifests by tag and digest, blobs, and hostile behaviour on demand (bytes that break mid-blob,
 * a gate that holds every blob download).
 */
final class FakeRegistry implements RegistryClient {
    enum Compress { GZIP, ZSTD, NONE }

    /** A built image: its manifest (digest, bytes, media type), config and layers. */
    record Built(FetchedManifest manifest, Descriptor config, byte[] configBytes, List<Descriptor> layers, List<Digest> diffIds) {}

    final Map<String, FetchedManifest> manifests = new ConcurrentHashMap<>();
    final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    final List<String> blobRequests = Collections.synchronizedList(new ArrayList<>());
    final Map<Digest, Integer> breakAfter = new ConcurrentHashMap<>();
    final Map<Digest, Integer> alwaysBreakAfter = new ConcurrentHashMap<>();
    /** Blobs whose every request fails as an HTTP session fails a body of the wrong length. */
    final Set<Digest> wrongLength = ConcurrentHashMap.newKeySet();
    final List<String> tags = Collections.synchronizedList(new ArrayList<>());
    volatile CountDownLatch gate;
    volatile boolean denied;

    @Override public RepositorySession open(Reference repository, AuthConfig auth, boolean push) {
        return new Session(repository);
    }

    @Override public String login(AuthConfig auth) { return ""; }

    /** What {@code /v1/search} answers; null: the registry has no such endpoint (distribution's 404). */
    volatile List<io.berth.api.registry.SearchResult> searchResults;

    @Override public List<io.berth.api.registry.SearchResult> search(String host, String term, int limit, AuthConfig auth) {
        if (searchResults == null) throw new BerthException.SystemError("Unexpected status code 404", null);
        return searchResults;
    }

    // ---- building images ----

    static byte[] layerTar(String file, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(out)) {
            tar.addBytes(file, content, Instant.parse("2024-01-01T00:00:00Z"));
            tar.finish();
        }
        return out.toByteArray();
    }

    static byte[] compress(byte[] tar, Compress c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (c) {
            case NONE -> out.write(tar);
            case GZIP -> {
                try (OutputStream gz = new GZIPOutputStream(out)) { gz.write(tar); }
            }
            case ZSTD -> {
                try (OutputStream z = new ZstdOutputStream(out)) { z.write(tar); }
            }
        }
        return out.toByteArray();
    }

    Descriptor blob(String mediaType, byte[] data) {
        Digest d = Digest.of(data);
        blobs.put(d, data);
        return new Descriptor(mediaType, d, data.length);
    }

    /** An image whose layers hold the given files (name → content), stored and tagged {@code tag} (when not null). */
    Built image(String tag, boolean oci, String arch, String variant, Compress c, Map<String, byte[]> files) throws IOException {
        List<Descriptor> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] tar = layerTar(f.getKey(), f.getValue());
            diffIds.add(Digest.of(tar).toString());
            String type = switch (c) {
                case GZIP -> oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
                case NONE -> oci ? MediaTypes.OCI_LAYER : MediaTypes.DOCKER_LAYER;
            };
            layers.add(blob(type, compress(tar, c)));
        }
        return image(tag, oci, arch, variant, layers, diffIds);
    }

    Built image(String tag, boolean oci, String arch, String variant, List<Descriptor> layers, List<String> diffIds)
            throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", arch);
        config.put("os", "linux");
        if (variant != null) config.put("variant", variant);
        config.put("config", Map.of("Labels", Map.of("made.by", "fake")));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
        byte[] configBytes = Json.plain().writeValueAsBytes(config);
        Descriptor configDesc = blob(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG, configBytes);
        String type = oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
        byte[] body = Json.plain().writeValueAsBytes(new Manifest(2, type, configDesc, layers, null));
        FetchedManifest m = put(tag, type, body);
        return new Built(m, configDesc, configBytes, layers, diffIds.stream().map(Digest::parse).toList());
    }

    /** An index (OCI) or manifest list (Docker) of images, tagged {@code tag}. */
    FetchedManifest index(String tag, boolean oci, List<Built> images) throws IOException {
        List<Descriptor> entries = new ArrayList<>();
        for (Built b : images) {
            Map<String, Object> config = Json.plain().readValue(b.configBytes(), Map.class);
            entries.add(new Descriptor(b.manifest().mediaType(), b.manifest().digest().toString(), b.manifest().body().length, null,
                    new Descriptor.Platform((String) config.get("architecture"), "linux", (String) config.get("variant"))));
        }
        String type = oci ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_MANIFEST_LIST;
        return put(tag, type, Json.plain().writeValueAsBytes(new Index(2, type, entries)));
    }

    FetchedManifest put(String tag, String mediaType, byte[] body) {
        FetchedManifest m = new FetchedManifest(mediaType, Digest.of(body), body);
        manifests.put(m.digest().toString(), m);
        if (tag != null) {
            manifests.put(tag, m);
            if (!tags.contains(tag)) tags.add(tag);
        }
        return m;
    }

    long requestsFor(Digest d) {
        synchronized (blobRequests) {
            return blobRequests.stream().filter(r -> r.startsWith(d.toString())).count();
        }
    }

    private final class Session implements RepositorySession {
        private final Reference repository;

        Session(Reference repository) { this.repository = repository; }

        @Override public Reference repository() { return repository; }

        @Override public Optional<FetchedManifest> manifest(String tagOrDigest) {
            if (denied) throw new io.berth.api.errors.BerthException.Unauthorized("denied: requested access to the resource is denied");
            return Optional.ofNullable(manifests.get(tagOrDigest));
        }

        @Override public Optional<Digest> resolve(String tag) {
            return manifest(tag).map(FetchedManifest::digest);
        }

        @Override public InputStream blob(Descriptor blob, long offset) throws IOException {
            blobRequests.add(blob.digest() + "@" + offset);
            byte[] data = blobs.get(blob.digestValue());
            if (data == null) throw new io.berth.api.errors.BerthException.NotFound("blob unknown: " + blob.digest());
            if (wrongLength.contains(blob.digestValue())) throw new BlobSizeMismatch("blob " + blob.digest() + " is longer than its descriptor's size");
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            InputStream in = new ByteArrayInputStream(Arrays.copyOfRange(data, (int) Math.min(offset, data.length), data.length));
            Integer breakAt = breakAfter.remove(blob.digestValue());
            if (breakAt == null) breakAt = alwaysBreakAfter.get(blob.digestValue());
            if (breakAt == null) return in;
            int limit = breakAt;
            return new FilterInputStream(in) {
                private int left = limit;

                @Override public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) throw new IOException("connection reset by fake registry");
                    int n = super.read(b, off, Math.min(len, left));
                    if (n > 0) left -= n;
                    return n;
                }
            };
        }

        @Override public boolean exists(Digest blob) { return blobs.containsKey(blob); }

        @Override public boolean mount(Digest blob, String fromRepository) { return false; }

        @Override public void upload(Descriptor blob, BlobSource data) { throw new UnsupportedOperationException(); }

        @Override public Digest putManifest(String tagOrDigest, String mediaType, byte[] body) { throw new UnsupportedOperationException(); }

        @Override public List<String> tags() { return List.copyOf(tags); }
    }
}
