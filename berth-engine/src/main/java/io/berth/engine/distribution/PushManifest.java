package io.berth.engine.distribution;

import io.berth.api.Json;
import io.berth.engine.archive.Compression;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Manifest;
import io.berth.oci.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The manifest a push stores, decided as containerd and moby do:
 * <ul>
 *   <li>when every layer is pushed as the image's manifest names it (an image pulled, or loaded with compressed
 *       layers), that manifest's exact bytes and media type (Docker schema2 or OCI), so its digest is kept, as the
 *       containerd store pushes what it holds;</li>
 *   <li>otherwise (layers Berth compressed: import, docker-archive load, commit, build) a new manifest as moby's
 *       graph-driver push writes it: Docker schema2 with a {@code container.image.v1+json} config and gzip layers,
 *       formatted as Go's {@code json.MarshalIndent(m, "", "   ")}, so the same blobs give dockerd's digest; OCI
 *       instead when a layer is zstd, which schema2 cannot name.</li>
 * </ul>
 */
record PushManifest(String mediaType, byte[] body) {
    Digest digest() { return Digest.of(body); }

    /** The manifest for an image whose config is {@code config} and whose layers are pushed as {@code layers}. */
    static PushManifest of(byte[] storedBody, Descriptor config, List<LayerBlob> layers) throws IOException {
        Manifest stored = Json.plain().readValue(storedBody, Manifest.class);
        if (pushedAsStored(stored, config, layers)) {
            return new PushManifest(stored.mediaType() != null ? stored.mediaType() : MediaTypes.OCI_MANIFEST, storedBody);
        }
        boolean oci = layers.stream().anyMatch(l -> l.compression() == Compression.Kind.ZSTD);
        StringBuilder json = new StringBuilder("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"")
                .append(oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST).append("\",\n   \"config\": ");
        descriptor(json, oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG, config.digestValue(), config.size(), oci, "   ");
        json.append(",\n   \"layers\": [");
        for (int i = 0; i < layers.size(); i++) {
            LayerBlob l = layers.get(i);
            json.append(i == 0 ? "\n      " : ",\n      ");
            descriptor(json, layerType(l.compression(), oci), l.digest(), l.size(), oci, "      ");
        }
        json.append(layers.isEmpty() ? "]\n}" : "\n   ]\n}");
        return new PushManifest(oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST,
                json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean pushedAsStored(Manifest stored, Descriptor config, List<LayerBlob> layers) {
        if (stored.config() == null || !config.digest().equals(stored.config().digest())) return false;
        List<Descriptor> storedLayers = stored.layers() == null ? List.of() : stored.layers();
        if (storedLayers.size() != layers.size()) return false;
        for (int i = 0; i < layers.size(); i++) {
            if (!storedLayers.get(i).digest().equals(layers.get(i).digest().toString())) return false;
        }
        return true;
    }

    private static String layerType(Compression.Kind kind, boolean oci) {
        return switch (kind) {
            case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
            case GZIP -> oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP;
            case NONE -> oci ? MediaTypes.OCI_LAYER : MediaTypes.DOCKER_LAYER;
        };
    }

    /** distribution's descriptor field order is mediaType, size, digest; the OCI one's mediaType, digest, size. */
    private static void descriptor(StringBuilder json, String mediaType, Digest digest, long size, boolean oci, String indent) {
        String inner = indent + "   ";
        json.append("{\n").append(inner).append("\"mediaType\": \"").append(mediaType).append("\",\n");
        if (oci) {
            json.append(inner).append("\"digest\": \"").append(digest).append("\",\n").append(inner).append("\"size\": ").append(size);
        } else {
            json.append(inner).append("\"size\": ").append(size).append(",\n").append(inner).append("\"digest\": \"").append(digest).append('"');
        }
        json.append('\n').append(indent).append('}');
    }
}
