package io.berth.engine.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.api.Json;
import io.berth.engine.archive.TarEntry;
import io.berth.engine.archive.TarWriter;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Index;
import io.berth.oci.MediaTypes;
import io.berth.oci.Reference;
import io.berth.oci.content.ContentProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes images as Docker 25+ does: an OCI image layout ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/…}) that is also a docker-archive ({@code manifest.json} and
 * {@code repositories} pointing into the blobs), so both old and new loaders, and skopeo, read it.
 * Blobs stream from the content store; nothing is staged.
 */
final class ImageSaver {
    /** One image to save with the names to record for it (may be empty). */
    record Item(Image image, List<Reference> names) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record LegacyEntry(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
                               @JsonProperty("Layers") List<String> layers) {}

    private final ContentProvider content;

    ImageSaver(ContentProvider content) { this.content = content; }

    void save(List<Item> items, OutputStream out) throws IOException {
        Instant epoch = Instant.EPOCH;
        TarWriter tar = new TarWriter(out);
        tar.add(TarEntry.dir("blobs/", 0755, epoch), null);
        tar.add(TarEntry.dir("blobs/sha256/", 0755, epoch), null);
        Set<Digest> written = new HashSet<>();
        List<Descriptor> indexEntries = new ArrayList<>();
        List<LegacyEntry> legacy = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new TreeMap<>();
        for (Item item : items) {
            Image img = item.image();
            writeBlob(tar, img.id(), written);
            List<String> layerPaths = new ArrayList<>();
            for (Image.Layer l : img.layers()) {
                writeBlob(tar, l.blob().digestValue(), written);
                layerPaths.add(blobPath(l.blob().digestValue()));
            }
            writeBlob(tar, img.manifestDigest(), written);
            Descriptor manifest = new Descriptor(MediaTypes.OCI_MANIFEST, img.manifestDigest(), content.size(img.manifestDigest()));
            List<String> tags = new ArrayList<>();
            if (item.names().isEmpty()) {
                indexEntries.add(manifest);
            }
            for (Reference r : item.names()) {
                Map<String, String> ann = new LinkedHashMap<>();
                ann.put("io.containerd.image.name", r.toString());
                if (r.tag() != null) ann.put("org.opencontainers.image.ref.name", r.tag());
                indexEntries.add(manifest.withAnnotations(ann));
                tags.add(r.familiarString());
                if (r.tag() != null) {
                    repositories.computeIfAbsent(r.familiarName(), k -> new TreeMap<>()).put(r.tag(), img.id().hex());
                }
            }
            legacy.add(new LegacyEntry(blobPath(img.id()), tags.isEmpty() ? null : tags, layerPaths));
        }
        tar.addBytes("index.json", Json.plain().writeValueAsBytes(Index.of(indexEntries)), epoch);
        tar.addBytes("manifest.json", Json.plain().writeValueAsBytes(legacy), epoch);
        tar.addBytes("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), epoch);
        if (!repositories.isEmpty()) tar.addBytes("repositories", Json.plain().writeValueAsBytes(repositories), epoch);
        tar.finish();
        out.flush();
    }

    private void writeBlob(TarWriter tar, Digest d, Set<Digest> written) throws IOException {
        if (!written.add(d)) return;
        long size = content.size(d);
        try (InputStream in = content.open(d)) {
            tar.add(TarEntry.file(blobPath(d), size, 0644, Instant.EPOCH), in);
        }
    }

    private static String blobPath(Digest d) { return "blobs/sha256/" + d.hex(); }
}
