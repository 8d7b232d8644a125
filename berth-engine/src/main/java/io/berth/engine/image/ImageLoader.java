package io.berth.engine.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.berth.api.Json;
import io.berth.engine.archive.Compression;
import io.berth.engine.archive.TarEntry;
import io.berth.engine.archive.TarReader;
import io.berth.engine.content.ContentStore;
import io.berth.engine.service.ProgressSink;
import io.berth.api.errors.BerthException;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Index;
import io.berth.oci.Manifest;
import io.berth.oci.MediaTypes;
import io.berth.oci.Reference;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an image archive in one pass, streaming: a legacy docker-archive ({@code manifest.json},
 * {@code <id>/layer.tar}) or an OCI image layout ({@code index.json}, {@code blobs/sha256/…}), or
 * Docker 25+'s mix of both. Every file goes into the content store as it streams by (blobs are
 * verified against their names); the small JSON documents are kept in memory; then each image is
 * registered. Nothing is visible until it is whole: on failure the caller collects garbage.
 */
final class ImageLoader {
    private static final long SMALL_FILE = 8L << 20;

    /** A loaded image and the names the archive gave it. */
    record Loaded(Image image, List<Reference> names) {}

    private record LegacyEntry(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
                               @JsonProperty("Layers") List<String> layers) {}

    private final ContentStore content;
    private final ImageRegistrar registrar;
    private final LayerStager stager;

    ImageLoader(ContentStore content, ImageRegistrar registrar, LayerStager stager) {
        this.content = content;
        this.registrar = registrar;
        this.stager = stager;
    }

    List<Loaded> load(InputStream archive, Lease lease, ProgressSink progress) throws IOException {
        Map<Digest, StagedLayer> staged = new HashMap<>();
        try {
            return load(archive, lease, progress, staged);
        } finally {
            staged.values().forEach(StagedLayer::discard);
        }
    }

    private List<Loaded> load(InputStream archive, Lease lease, ProgressSink progress, Map<Digest, StagedLayer> staged)
            throws IOException {
        Map<String, byte[]> small = new HashMap<>();
        Map<String, Digest> files = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        InputStream in = Compression.decompress(new BufferedInputStream(archive, 1 << 16));
        TarReader tar = new TarReader(in);
        int entries = 0;
        for (TarEntry e = tar.next(); e != null; e = tar.next()) {
            entries++;
            String name = clean(e.name());
            switch (e.type()) {
                case SYMLINK -> links.put(name, resolveLink(name, e.linkName()));
                case HARDLINK -> links.put(name, clean(e.linkName()));
                case FILE -> readFile(name, e.size(), tar.content(), small, files, lease, staged);
                default -> { }
            }
        }
        if (entries == 0) throw new BerthException.InvalidArgument("invalid archive: empty tar, no image found");
        Sources src = new Sources(small, files, links);
        List<Loaded> out = new ArrayList<>();
        if (src.has("manifest.json")) {
            List<LegacyEntry> manifest = parse(src.bytes("manifest.json"), new TypeReference<>() {}, "manifest.json");
            for (LegacyEntry entry : manifest) out.add(loadLegacy(entry, src, lease, progress, staged));
        } else if (src.has("index.json")) {
            Index index = parse(src.bytes("index.json"), new TypeReference<>() {}, "index.json");
            if (index.manifests() == null) throw new BerthException.InvalidArgument("invalid archive: index.json lists no manifests");
            for (Descriptor d : index.manifests()) out.add(loadOci(d, src, lease, progress, staged));
        } else {
            throw new BerthException.InvalidArgument("invalid archive: neither manifest.json nor index.json found");
        }
        return out;
    }

    private void readFile(String name, long size, InputStream data, Map<String, byte[]> small, Map<String, Digest> files,
                          Lease lease, Map<Digest, StagedLayer> staged) throws IOException {
        if (name.startsWith("blobs/sha256/") && name.length() == "blobs/sha256/".length() + 64) {
            Digest expected = Digest.ofHex(name.substring("blobs/sha256/".length()));
            lease.hold(expected);
            files.put(name, stager.ingest(data, size, expected, staged));
        } else if (!name.endsWith("layer.tar") && size <= SMALL_FILE) {
            small.put(name, data.readAllBytes());
        } else {
            Digest d = stager.ingest(data, size, null, staged);
            lease.hold(d);
            files.put(name, d);
        }
    }

    private Loaded loadLegacy(LegacyEntry entry, Sources src, Lease lease, ProgressSink progress, Map<Digest, StagedLayer> staged)
            throws IOException {
        if (entry.config() == null || entry.layers() == null) throw new BerthException.InvalidArgument("invalid archive: manifest.json entry without Config or Layers");
        Digest config = src.blob(entry.config(), lease);
        List<Descriptor> layers = new ArrayList<>();
        for (String path : entry.layers()) {
            Digest d = src.blob(path, lease);
            layers.add(new Descriptor(layerMediaType(d), d, content.size(d)));
        }
        Image img = registrar.register(lease, config, null, layers, progress, staged);
        List<Reference> names = new ArrayList<>();
        if (entry.repoTags() != null) for (String t : entry.repoTags()) names.add(Reference.parse(t).withDefaultTag());
        return new Loaded(img, names);
    }

    private Loaded loadOci(Descriptor desc, Sources src, Lease lease, ProgressSink progress, Map<Digest, StagedLayer> staged)
            throws IOException {
        Descriptor manifestDesc = desc;
        if (MediaTypes.isIndex(desc.mediaType())) manifestDesc = pickPlatform(src, desc);
        Manifest m = parse(src.blobBytes(manifestDesc.digestValue()), new TypeReference<>() {}, "manifest " + manifestDesc.digest());
        if (m.config() == null || m.layers() == null) throw new BerthException.InvalidArgument("invalid manifest " + manifestDesc.digest() + ": no config or layers");
        Digest config = m.config().digestValue();
        if (!content.exists(config)) throw new BerthException.InvalidArgument("invalid archive: config blob " + config + " is missing");
        for (Descriptor l : m.layers()) {
            if (!content.exists(l.digestValue())) throw new BerthException.InvalidArgument("invalid archive: layer blob " + l.digest() + " is missing");
        }
        Image img = registrar.register(lease, config, manifestDesc.digestValue(), m.layers(), progress, staged);
        List<Reference> names = new ArrayList<>();
        String name = desc.annotation("io.containerd.image.name");
        if (name == null) {
            String refName = desc.annotation("org.opencontainers.image.ref.name");
            if (refName != null && (refName.contains(":") || refName.contains("/"))) name = refName;
        }
        if (name != null) names.add(Reference.parse(name).withDefaultTag());
        return new Loaded(img, names);
    }

    private Descriptor pickPlatform(Sources src, Descriptor indexDesc) throws IOException {
        Index idx = parse(src.blobBytes(indexDesc.digestValue()), new TypeReference<>() {}, "index " + indexDesc.digest());
        Descriptor first = null;
        for (Descriptor d : idx.manifests()) {
            if (!MediaTypes.isManifest(d.mediaType()) || d.annotation("vnd.docker.reference.type") != null) continue;
            if (!content.exists(d.digestValue())) continue;
            if (d.platform() == null || ("linux".equals(d.platform().os()) && "amd64".equals(d.platform().architecture()))) return d;
            if (first == null) first = d;
        }
        if (first == null) throw new BerthException.InvalidArgument("invalid archive: no manifest for linux/amd64 in index " + indexDesc.digest());
        return first;
    }

    private String layerMediaType(Digest blob) throws IOException {
        try (BufferedInputStream in = new BufferedInputStream(content.open(blob))) {
            return switch (Compression.detect(in)) {
                case GZIP -> MediaTypes.OCI_LAYER_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
                case NONE -> MediaTypes.OCI_LAYER;
            };
        }
    }

    private static <T> T parse(byte[] json, TypeReference<T> type, String what) {
        try {
            return Json.plain().readValue(json, type);
        } catch (JacksonException e) {
            throw new BerthException.InvalidArgument("invalid archive: cannot parse " + what + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BerthException.InvalidArgument("invalid archive: cannot read " + what);
        }
    }

    private static String clean(String name) {
        String n = name;
        while (n.startsWith("./")) n = n.substring(2);
        while (n.startsWith("/")) n = n.substring(1);
        return n;
    }

    private static String resolveLink(String name, String target) {
        if (target.startsWith("/")) return clean(target);
        int slash = name.lastIndexOf('/');
        String base = slash < 0 ? "" : name.substring(0, slash + 1);
        java.nio.file.Path p = java.nio.file.Path.of("/" + base + target).normalize();
        return clean(p.toString());
    }

    /** Lookup of archive paths, following the archive's links, into memory or the content store. */
    private final class Sources {
        private final Map<String, byte[]> small;
        private final Map<String, Digest> files;
        private final Map<String, String> links;

        Sources(Map<String, byte[]> small, Map<String, Digest> files, Map<String, String> links) {
            this.small = small;
            this.files = files;
            this.links = links;
        }

        private String follow(String path) {
            String p = clean(path);
            for (int i = 0; i < 16 && links.containsKey(p); i++) p = links.get(p);
            return p;
        }

        boolean has(String path) {
            String p = follow(path);
            return small.containsKey(p) || files.containsKey(p);
        }

        byte[] bytes(String path) throws IOException {
            String p = follow(path);
            if (small.containsKey(p)) return small.get(p);
            Digest d = files.get(p);
            if (d == null) throw new BerthException.InvalidArgument("invalid archive: " + path + " is missing");
            return content.read(d);
        }

        /** The digest of the file at {@code path}, putting small files into the content store. */
        Digest blob(String path, Lease lease) throws IOException {
            String p = follow(path);
            Digest d = files.get(p);
            if (d == null) {
                byte[] data = small.get(p);
                if (data == null) throw new BerthException.InvalidArgument("invalid archive: " + path + " is missing");
                d = content.put(data);
                lease.hold(d);
                files.put(p, d);
            }
            return d;
        }

        byte[] blobBytes(Digest d) throws IOException {
            String path = "blobs/sha256/" + d.hex();
            if (small.containsKey(path)) return small.get(path);
            if (!content.exists(d)) throw new BerthException.InvalidArgument("invalid archive: blob " + d + " is missing");
            return content.read(d);
        }
    }
}
