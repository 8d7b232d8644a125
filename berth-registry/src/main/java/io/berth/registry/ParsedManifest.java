package io.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.MediaTypes;
import io.berth.registry.spec.BlobDigest;
import io.berth.registry.spec.RegistryError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the registry needs of a manifest: its media type, the blobs it needs (config and layers, without the
 * non-distributable ones), the manifests it lists (an index), its {@code subject}, {@code artifactType} and
 * annotations.
 *
 * @param blobs     digests that must be blobs of the repository
 * @param manifests digests that must be manifests of the repository (an index's entries)
 */
public record ParsedManifest(String mediaType, List<BlobDigest> blobs, List<BlobDigest> manifests, BlobDigest subject,
                             String artifactType, JsonNode annotations) {
    private static final java.util.Set<String> KNOWN = java.util.Set.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);

    /**
     * Parses and checks {@code body} sent with {@code contentType}: a 400 {@code MANIFEST_INVALID} when it is not JSON,
     * not a manifest, or its {@code mediaType} contradicts the {@code Content-Type}.
     */
    public static ParsedManifest parse(byte[] body, String contentType, ObjectMapper json) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw RegistryError.manifestInvalid("invalid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw RegistryError.manifestInvalid("not a JSON object");
        String ct = contentType == null ? null : contentType.split(";", 2)[0].trim();
        String declared = root.path("mediaType").isTextual() ? root.get("mediaType").asText() : null;
        if (declared != null && ct != null && !ct.isEmpty() && !declared.equals(ct) && KNOWN.contains(ct)) {
            throw RegistryError.manifestInvalid("mediaType " + declared + " does not match Content-Type " + ct);
        }
        String type = declared != null ? declared : ct;
        if (type == null || type.isEmpty()) {
            type = root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        if (root.path("schemaVersion").asInt(0) != 2) throw RegistryError.manifestInvalid("schemaVersion must be 2");
        List<BlobDigest> blobs = new ArrayList<>();
        List<BlobDigest> manifests = new ArrayList<>();
        if (MediaTypes.isIndex(type)) {
            JsonNode list = root.get("manifests");
            if (list == null || !list.isArray()) throw RegistryError.manifestInvalid("an index needs manifests");
            for (JsonNode d : list) manifests.add(descriptorDigest(d));
        } else if (MediaTypes.isManifest(type) || root.has("config") || root.has("layers")) {
            JsonNode config = root.get("config");
            if (config == null || !config.isObject()) throw RegistryError.manifestInvalid("a manifest needs a config");
            blobs.add(descriptorDigest(config));
            JsonNode layers = root.path("layers");
            if (!layers.isMissingNode() && !layers.isArray()) throw RegistryError.manifestInvalid("layers must be an array");
            for (JsonNode l : layers) {
                BlobDigest d = descriptorDigest(l);
                String lt = l.path("mediaType").asText("");
                boolean foreign = lt.contains("nondistributable") || lt.contains("foreign") || l.path("urls").isArray();
                if (!foreign) blobs.add(d);
            }
        } else {
            throw RegistryError.manifestInvalid("unsupported manifest media type " + type);
        }
        JsonNode s = root.get("subject");
        BlobDigest subject = s == null || s.isNull() ? null : descriptorDigest(s);
        String artifactType = root.path("artifactType").isTextual() ? root.get("artifactType").asText() : null;
        if (artifactType == null && root.path("config").path("mediaType").isTextual()) {
            artifactType = root.get("config").get("mediaType").asText();
        }
        return new ParsedManifest(type, blobs, manifests, subject, artifactType, root.get("annotations"));
    }

    private static BlobDigest descriptorDigest(JsonNode d) {
        if (!d.isObject() || !d.path("digest").isTextual() || !d.path("size").canConvertToLong()) {
            throw RegistryError.manifestInvalid("invalid descriptor: " + d);
        }
        try {
            return BlobDigest.parse(d.get("digest").asText());
        } catch (RegistryError e) {
            throw RegistryError.manifestInvalid("invalid descriptor digest: " + d.get("digest").asText());
        }
    }

    /** The descriptor of this manifest as a referrer, for the referrers index. */
    public Map<String, Object> referrerDescriptor(BlobDigest digest, long size) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("mediaType", mediaType);
        m.put("digest", digest.toString());
        m.put("size", size);
        if (artifactType != null) m.put("artifactType", artifactType);
        if (annotations != null && annotations.isObject()) m.put("annotations", annotations);
        return m;
    }
}
