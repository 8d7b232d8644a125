package io.berth.it.support;

import io.berth.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The data sets of the OCI conformance suite's {@code TestAll} ({@code image}, {@code index}, {@code artifact}, …),
 * built in memory: the blobs to push, the manifests in push order, the tags, and the referrers each subject must
 * list. Blob bytes are random but seeded, so a data set is the same on every run.
 */
public final class OciDataSets {
    public static final String OCI_MANIFEST = MediaTypes.OCI_MANIFEST;
    public static final String OCI_INDEX = MediaTypes.OCI_INDEX;
    public static final String OCI_CONFIG = MediaTypes.OCI_CONFIG;
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String LAYER_GZIP = MediaTypes.OCI_LAYER_GZIP;
    public static final String LAYER_TAR = MediaTypes.OCI_LAYER;
    public static final String LAYER_NONDIST = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

    /** The names, in the checklist's order. */
    public static final List<String> NAMES = List.of("image", "image-uncompressed", "large-manifest", "index",
            "nested-index", "empty-index", "artifact", "artifact-index", "artifact-without-layers",
            "artifacts-with-subject", "index-with-subject", "missing-subject", "data-field", "non-distributable-layers",
            "custom-fields", "no-layers", "sha512", "tag-param-sha256", "tag-param-sha512");

    /** A blob to push. */
    public record Blob(String mediaType, byte[] content, String digest) {
        public Map<String, Object> descriptor() {
            return obj("mediaType", mediaType, "digest", digest, "size", (long) content.length);
        }
    }

    /** A manifest or index to push by digest; {@code subject} is null when it has none. */
    public record Doc(String mediaType, byte[] content, String digest, String subject, String artifactType,
                      Map<String, String> annotations, String architecture) {
        public Map<String, Object> descriptor() {
            Map<String, Object> d = obj("mediaType", mediaType, "digest", digest, "size", (long) content.length);
            if (architecture != null) d.put("platform", obj("architecture", architecture, "os", "linux"));
            if (artifactType != null) d.put("artifactType", artifactType);
            if (annotations != null && !annotations.isEmpty()) d.put("annotations", annotations);
            return d;
        }
    }

    /**
     * One data set: {@code blobs} pushed first (none for layers that must not be pushed), {@code docs} in push order,
     * {@code tags} put on the last doc, {@code tagParams} as {@code ?tag=} on its PUT by digest (empty: none).
     */
    public record DataSet(String name, String algorithm, List<Blob> blobs, List<Doc> docs, List<String> tags,
                          List<String> tagParams) {
        public Doc last() { return docs.getLast(); }

        /** The docs whose subject is {@code subject}. */
        public List<Doc> referrersOf(String subject) {
            return docs.stream().filter(d -> subject.equals(d.subject())).toList();
        }
    }

    private final String algorithm;
    private final Random random;
    private final List<Blob> blobs = new ArrayList<>();
    private final List<Doc> docs = new ArrayList<>();

    private OciDataSets(String name, String algorithm) {
        this.algorithm = algorithm;
        this.random = new Random(name.hashCode());
    }

    /** The data set called {@code name} (one of {@link #NAMES}). */
    public static DataSet named(String name) {
        String alg = name.endsWith("sha512") ? "sha512" : "sha256";
        OciDataSets b = new OciDataSets(name, alg);
        List<String> tagParams = List.of();
        switch (name) {
            case "image", "sha512" -> b.image("amd64", LAYER_GZIP, 2, null);
            case "image-uncompressed" -> b.image("amd64", LAYER_TAR, 2, null);
            case "large-manifest" -> {
                Map<String, String> ann = new LinkedHashMap<>();
                String value = "a".repeat(10_000);
                for (int i = 0; i < 390; i++) ann.put("com.example.large." + i, value);
                b.image("amd64", LAYER_GZIP, 1, m -> m.put("annotations", ann));
            }
            case "index" -> b.index(null, null, b.image("amd64", LAYER_GZIP, 1, null), b.image("arm64", LAYER_GZIP, 1, null));
            case "nested-index" -> {
                Doc inner = b.index(null, null, b.image("amd64", LAYER_GZIP, 1, null));
                b.index(null, null, b.image("arm64", LAYER_GZIP, 1, null), inner);
            }
            case "empty-index" -> b.index(null, null);
            case "artifact" -> b.artifact("application/vnd.example.artifact", true, null);
            case "artifact-index" -> b.index("application/vnd.example.index",
                    null, b.artifact("application/vnd.example.artifact", true, null));
            case "artifact-without-layers" -> b.artifact("application/vnd.example.nolayers", false, null);
            case "artifacts-with-subject" -> {
                Doc subject = b.image("amd64", LAYER_GZIP, 1, null);
                b.artifact("application/vnd.example.sbom", true, subject);
                b.artifact("application/vnd.example.signature", true, subject);
            }
            case "index-with-subject" -> {
                Doc subject = b.image("amd64", LAYER_GZIP, 1, null);
                b.index("application/vnd.example.index", subject, b.image("arm64", LAYER_GZIP, 1, null));
            }
            case "missing-subject" -> {
                byte[] never = b.bytes(64);
                Doc ghost = new Doc(OCI_MANIFEST, never, OciHttp.digest(alg, never), null, null, null, null);
                b.artifact("application/vnd.example.orphan", true, ghost);
            }
            case "data-field" -> b.image("amd64", LAYER_GZIP, 1, m -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> config = (Map<String, Object>) m.get("config");
                Blob cfg = b.blobs.getFirst();
                config.put("data", Base64.getEncoder().encodeToString(cfg.content()));
            });
            case "non-distributable-layers" -> {
                byte[] layer = b.bytes(512);
                Blob foreign = new Blob(LAYER_NONDIST, layer, OciHttp.digest(alg, layer));
                Blob config = b.config("amd64");
                Map<String, Object> fd = foreign.descriptor();
                fd.put("urls", List.of("https://example.com/berth/" + foreign.digest()));
                b.manifest(obj("schemaVersion", 2, "mediaType", OCI_MANIFEST, "config", config.descriptor(), "layers", List.of(fd)), null, null);
            }
            case "custom-fields" -> b.image("amd64", LAYER_GZIP, 1, m -> {
                m.put("com.example.custom", obj("field", "value", "list", List.of(1, 2, 3)));
                m.put("annotations", Map.of("com.example.note", "custom fields kept byte for byte"));
            });
            case "no-layers" -> {
                Blob config = b.config("amd64");
                b.manifest(obj("schemaVersion", 2, "mediaType", OCI_MANIFEST, "config", config.descriptor(), "layers", List.of()), null, null);
            }
            case "tag-param-sha256", "tag-param-sha512" -> {
                b.image("amd64", LAYER_GZIP, 1, null);
                tagParams = List.of("param-a", "param-b");
            }
            default -> throw new IllegalArgumentException("no data set " + name);
        }
        return new DataSet(name, alg, List.copyOf(b.blobs), List.copyOf(b.docs), List.of("v1", "latest"), tagParams);
    }

    private interface Edit {
        void apply(Map<String, Object> manifest);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private Blob blob(String mediaType, byte[] content) {
        Blob b = new Blob(mediaType, content, OciHttp.digest(algorithm, content));
        if (blobs.stream().noneMatch(x -> x.digest().equals(b.digest()))) blobs.add(b);
        return b;
    }

    private Blob config(String arch) {
        return blob(OCI_CONFIG, ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"nonce\":"
                + random.nextInt(1_000_000) + "}").getBytes(StandardCharsets.UTF_8));
    }

    private Doc image(String arch, String layerType, int layers, Edit edit) {
        Blob config = config(arch);
        List<Object> ls = new ArrayList<>();
        for (int i = 0; i < layers; i++) ls.add(blob(layerType, bytes(1024)).descriptor());
        Map<String, Object> m = obj("schemaVersion", 2, "mediaType", OCI_MANIFEST, "config", config.descriptor(), "layers", ls);
        if (edit != null) edit.apply(m);
        return manifest(m, null, null, null, arch);
    }

    private Doc artifact(String artifactType, boolean withLayer, Doc subject) {
        Blob empty = blob(OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
        List<Object> ls = withLayer ? List.of(blob("application/vnd.example.data", bytes(256)).descriptor()) : List.of(empty.descriptor());
        Map<String, String> ann = Map.of("org.opencontainers.image.description", artifactType + " of " + (subject == null ? "nothing" : subject.digest()));
        Map<String, Object> m = obj("schemaVersion", 2, "mediaType", OCI_MANIFEST, "artifactType", artifactType,
                "config", empty.descriptor(), "layers", ls);
        if (subject != null) m.put("subject", subject.descriptor());
        m.put("annotations", ann);
        return manifest(m, subject == null ? null : subject.digest(), artifactType, ann, null);
    }

    private Doc index(String artifactType, Doc subject, Doc... children) {
        List<Object> ms = new ArrayList<>();
        for (Doc c : children) ms.add(c.descriptor());
        Map<String, Object> m = obj("schemaVersion", 2, "mediaType", OCI_INDEX);
        if (artifactType != null) m.put("artifactType", artifactType);
        m.put("manifests", ms);
        if (subject != null) m.put("subject", subject.descriptor());
        return manifest(m, subject == null ? null : subject.digest(), artifactType, null, null);
    }

    private Doc manifest(Map<String, Object> tree, String subject, String artifactType) {
        return manifest(tree, subject, artifactType, null, null);
    }

    private Doc manifest(Map<String, Object> tree, String subject, String artifactType, Map<String, String> annotations,
                         String architecture) {
        byte[] content = OciHttp.json(tree);
        Doc d = new Doc((String) tree.get("mediaType"), content, OciHttp.digest(algorithm, content), subject, artifactType,
                annotations, architecture);
        docs.add(d);
        return d;
    }

    /** A map in insertion order from name, value pairs. */
    public static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** {@code content} with {@code extra} appended. */
    public static byte[] concat(byte[] content, byte[] extra) {
        byte[] r = Arrays.copyOf(content, content.length + extra.length);
        System.arraycopy(extra, 0, r, content.length, extra.length);
        return r;
    }
}
