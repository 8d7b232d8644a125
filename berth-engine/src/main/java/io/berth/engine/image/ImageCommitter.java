package io.berth.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.content.BlobWriter;
import io.berth.api.errors.BerthException;
import io.berth.engine.events.EventBus;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code docker commit}: a container's writable layer (as an uncompressed layer tar, whose digest
 * is its DiffID) on top of its image becomes a new image, with the run configuration Docker
 * computes: the request's config (or the container's), the {@code --change} instructions applied,
 * then empty fields filled from the container's config (moby's {@code daemon/commit.go merge}); and a Dockerfile
 * step's commit, whose config the builder computed. Both record the image's parent (moby's image metadata).
 */
public final class ImageCommitter {
    /** Writes the layer diff to {@code out}; returns how many entries it wrote (0: nothing changed). */
    @FunctionalInterface
    public interface DiffWriter {
        long write(OutputStream out) throws IOException;
    }

    /** What to commit. {@code parentImage} may be null (the image is gone); {@code userConfig} may be null. */
    public record Commit(String parentImage, String containerId, ContainerConfig containerConfig, ContainerConfig userConfig,
                         List<String> changes, String comment, String author, String createdBy, String repo, String tag) {}

    private final ImageStore store;
    private final ImageRegistrar registrar;
    private final EventBus events;

    public ImageCommitter(ImageStore store, ImageRegistrar registrar, EventBus events) {
        this.store = store;
        this.registrar = registrar;
        this.events = events;
    }

    /** Validates the repository and tag before any work is done; null when none is given. */
    public static Reference reference(String repo, String tag) {
        if (repo == null || repo.isEmpty()) {
            if (tag != null && !tag.isEmpty()) throw new BerthException.InvalidArgument("invalid reference format: tag given without repository");
            return null;
        }
        try {
            return Reference.of(repo, tag == null || tag.isEmpty() ? null : tag).withDefaultTag();
        } catch (IllegalArgumentException e) {
            throw new BerthException.InvalidArgument("invalid reference format: " + e.getMessage());
        }
    }

    public Image commit(Commit c, DiffWriter diff) throws IOException {
        Reference ref = reference(c.repo(), c.tag());
        return write(new BuildStep(c.parentImage(), c.containerId(), null, c.containerConfig(), c.author(), c.comment(),
                c.createdBy()), buildRunConfig(c), new StepLayer(diff, null), true, ref);
    }

    /**
     * A Dockerfile step's commit: {@code config} is the builder's run config, taken as it is (no merge);
     * {@code containerConfig} is the step's probe config, stored as {@code container_config} (the cache key);
     * {@code containerId} may be null (a metadata step committed without a container).
     */
    public record BuildStep(String parentImage, String containerId, ContainerConfig config, ContainerConfig containerConfig,
                            String author, String comment, String createdBy) {}

    /**
     * A build step's layer: {@code diff} writes its tar. When {@code upper} is given — the overlay upper directory the
     * diff is written from, which its owner discards after the commit — that directory becomes the layer's snapshot,
     * moved into place: the layer is read once, for its tar and DiffID, and never unpacked again. Null: the snapshot is
     * unpacked from the stored tar.
     */
    public record StepLayer(DiffWriter diff, java.nio.file.Path upper) {}

    /**
     * Commits a build step: its layer ({@code null} or an empty diff: an {@code empty_layer} history entry, no blob for
     * {@code null}) on its parent. As a pulled layer, the layer blob is not fsynced (see the design notes).
     */
    public Image commit(BuildStep step, StepLayer layer) throws IOException {
        return write(step, Json.wire().valueToTree(step.config()), layer, false, null);
    }

    /**
     * Registers an image whose config is {@code config} and whose layer blobs are in the store already ({@code layers},
     * in order), on {@code parentImage} (null: none): the builder's cache image restored from a cache-from image.
     */
    public Image register(byte[] config, List<Descriptor> layers, String parentImage) throws IOException {
        try (Lease lease = store.lease()) {
            Digest configDigest = store.content().put(config);
            lease.hold(configDigest);
            return registrar.registerCommit(lease, configDigest, layers, null, parentImage == null ? "" : parentImage);
        }
    }

    private Image write(BuildStep c, ObjectNode config, StepLayer layer, boolean durable, Reference ref) throws IOException {
        Image parent = c.parentImage() == null ? null : store.get(Digest.parse(c.parentImage())).orElse(null);
        try (Lease lease = store.lease()) {
            Digest diffId = null;
            long entries = 0;
            if (layer != null) {
                try (BlobWriter w = durable ? store.content().writer() : store.content().layerWriter()) {
                    entries = layer.diff().write(w);
                    diffId = w.commit(null, -1);
                }
                lease.hold(diffId);
            }
            boolean empty = entries == 0;
            ObjectNode parentConfig = parent == null ? null : (ObjectNode) Json.plain().readTree(store.content().read(parent.id()));
            String created = Instant.now().toString();
            ObjectNode img = Json.plain().createObjectNode();
            img.put("architecture", text(parentConfig, "architecture", "amd64"));
            if (c.author() != null && !c.author().isEmpty()) img.put("author", c.author());
            if (c.comment() != null && !c.comment().isEmpty()) img.put("comment", c.comment());
            img.set("config", config);
            if (c.containerId() != null) img.put("container", c.containerId());
            img.set("container_config", Json.wire().valueToTree(c.containerConfig()));
            img.put("created", created);
            ArrayNode history = img.putArray("history");
            if (parentConfig != null && parentConfig.get("history") instanceof ArrayNode h) history.addAll(h);
            ObjectNode entry = history.addObject();
            entry.put("created", created);
            if (c.author() != null && !c.author().isEmpty()) entry.put("author", c.author());
            entry.put("created_by", c.createdBy());
            if (c.comment() != null && !c.comment().isEmpty()) entry.put("comment", c.comment());
            if (empty) entry.put("empty_layer", true);
            img.put("os", text(parentConfig, "os", "linux"));
            if (parentConfig != null && parentConfig.hasNonNull("variant")) img.set("variant", parentConfig.get("variant"));
            ObjectNode rootfs = img.putObject("rootfs");
            rootfs.put("type", "layers");
            ArrayNode diffIds = rootfs.putArray("diff_ids");
            List<Descriptor> layers = new ArrayList<>();
            if (parent != null) {
                for (Image.Layer l : parent.layers()) {
                    diffIds.add(l.diffId().toString());
                    layers.add(l.blob());
                }
            }
            if (!empty) {
                diffIds.add(diffId.toString());
                layers.add(new Descriptor(MediaTypes.OCI_LAYER, diffId, store.content().size(diffId)));
            }
            Digest configDigest = store.content().put(Json.plain().writeValueAsBytes(img));
            lease.hold(configDigest);
            Image result = registrar.registerCommit(lease, configDigest, layers, empty ? null : layer.upper(),
                    parent == null ? "" : parent.id().toString());
            if (ref != null) {
                store.tag(ref, result.id());
                events.publish("image", "tag", result.id().toString(), Map.of("name", ref.familiarString()));
            }
            return result;
        }
    }

    private static String text(ObjectNode n, String field, String fallback) {
        return n != null && n.hasNonNull(field) ? n.get(field).asText() : fallback;
    }

    /** The new image's run configuration, as moby computes it. */
    static ObjectNode buildRunConfig(Commit c) {
        ObjectNode container = Json.wire().valueToTree(c.containerConfig());
        ObjectNode user = c.userConfig() == null ? container.deepCopy() : Json.wire().valueToTree(c.userConfig());
        ConfigChanges.apply(user, c.changes() == null ? List.of() : c.changes());
        merge(user, container);
        return user;
    }

    /** moby's {@code merge(userConf, imageConf)}: fills what the user left empty from the container's config. */
    static void merge(ObjectNode user, ObjectNode from) {
        if (empty(user.get("User"))) copy(user, from, "User");
        union(user, from, "ExposedPorts");
        union(user, from, "Volumes");
        union(user, from, "Labels");
        if (empty(user.get("Env"))) {
            copy(user, from, "Env");
        } else if (from.get("Env") instanceof ArrayNode fromEnv) {
            ArrayNode env = (ArrayNode) user.get("Env");
            Set<String> keys = new HashSet<>();
            for (JsonNode e : env) keys.add(key(e.asText()));
            for (JsonNode e : fromEnv) if (!keys.contains(key(e.asText()))) env.add(e.asText());
        }
        if (empty(user.get("Entrypoint"))) {
            if (empty(user.get("Cmd"))) copy(user, from, "Cmd");
            copy(user, from, "Entrypoint");
        }
        if (empty(user.get("OnBuild"))) copy(user, from, "OnBuild");
        if (empty(user.get("WorkingDir"))) copy(user, from, "WorkingDir");
        if (empty(user.get("StopSignal"))) copy(user, from, "StopSignal");
    }

    private static String key(String kv) {
        int eq = kv.indexOf('=');
        return eq < 0 ? kv : kv.substring(0, eq);
    }

    private static boolean empty(JsonNode n) {
        return n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty()) || (n.isContainerNode() && n.isEmpty());
    }

    private static void copy(ObjectNode to, ObjectNode from, String field) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull()) to.set(field, v.deepCopy());
    }

    private static void union(ObjectNode to, ObjectNode from, String field) {
        if (!(from.get(field) instanceof ObjectNode src) || src.isEmpty()) return;
        ObjectNode dst = to.get(field) instanceof ObjectNode o ? o : to.putObject(field);
        for (Iterator<Map.Entry<String, JsonNode>> it = src.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!dst.has(e.getKey())) dst.set(e.getKey(), e.getValue().deepCopy());
        }
    }
}
