package io.berth.engine.image;

import io.berth.api.TimeFilters;
import io.berth.api.Filters;
import io.berth.api.JsonMessage;
import io.berth.api.image.HistoryItem;
import io.berth.api.image.ImageDeleteItem;
import io.berth.api.image.ImageInspect;
import io.berth.api.image.ImagePruneReport;
import io.berth.api.image.ImageSummary;
import io.berth.engine.service.ImageService;
import io.berth.engine.service.ProgressSink;
import io.berth.api.errors.BerthException;
import io.berth.engine.events.EventBus;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.Reference;
import io.berth.engine.snapshot.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The image backend over the local stores, with Docker's semantics for every endpoint. */
public final class LocalImageService implements ImageService {
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "reference", "label", "before", "since", "until");
    private static final Set<String> PRUNE_FILTERS = Set.of("dangling", "until", "label", "label!");

    private final ImageStore store;
    private final EventBus events;
    private final ImageLoader loader;
    private final ImageSaver saver;
    private final ImageImporter importer;
    private final ImageViews views;
    private final ImageUsage usage;

    /** {@code usage} tells which containers use an image (for rmi's conflicts and the Containers counts). */
    public LocalImageService(ImageStore store, ImageRegistrar registrar, EventBus events, ImageUsage usage) {
        this.store = store;
        this.events = events;
        this.usage = usage;
        this.loader = new ImageLoader(store.content(), registrar, new LayerStager(store.content(), store.snapshots(), registrar.applier()));
        this.saver = new ImageSaver(store.content());
        this.importer = new ImageImporter(store.content(), registrar);
        this.views = new ImageViews(store);
    }

    @Override public List<ImageSummary> list(boolean all, Filters filters, boolean sharedSize) {
        filters.requireOnly(LIST_FILTERS);
        Boolean dangling = filters.bool("dangling");
        List<Pattern> patterns = filters.get("reference").stream().map(Glob::compile).toList();
        Instant before = boundary(filters, "before");
        Instant since = boundary(filters, "since");
        Instant until = filters.has("until") ? TimeFilters.parse(filters.get("until").getFirst()) : null;
        Map<Digest, Long> shared = sharedSize ? views.sharedSizes() : Map.of();
        List<ImageSummary> out = new ArrayList<>();
        Set<String> parents = parents();
        for (Image img : store.all()) {
            List<Reference> refs = store.refsOf(img.id());
            if (!all && refs.isEmpty() && parents.contains(img.id().toString())) continue; // an intermediate image (-a shows it)
            if (dangling != null && dangling != refs.isEmpty()) continue;
            if (!patterns.isEmpty()) {
                refs = refs.stream().filter(r -> patterns.stream().anyMatch(p -> matches(p, r))).toList();
                if (refs.isEmpty()) continue;
            }
            if (!views.labelsMatch(img, filters.get("label"))) continue;
            Instant created = createdOf(img);
            if (before != null && !created.isBefore(before)) continue;
            if (since != null && !created.isAfter(since)) continue;
            if (until != null && !created.isBefore(until)) continue;
            out.add(views.summary(img, refs, sharedSize ? shared.getOrDefault(img.id(), 0L) : -1, -1));
        }
        out.sort(Comparator.comparingLong(ImageSummary::created).reversed().thenComparing(ImageSummary::id));
        return out;
    }

    private static boolean matches(Pattern p, Reference r) {
        return p.matcher(r.familiarName()).matches() || p.matcher(r.familiarString()).matches()
                || p.matcher(r.name()).matches() || p.matcher(r.toString()).matches();
    }

    private Instant boundary(Filters f, String key) {
        if (!f.has(key)) return null;
        return createdOf(store.require(f.get(key).getFirst()));
    }

    private static Instant createdOf(Image img) {
        Instant t = img.config().createdInstant();
        return t == null ? Instant.EPOCH : t;
    }

    @Override public ImageInspect inspect(String name) { return views.inspect(store.require(name)); }

    @Override public List<HistoryItem> history(String name) { return views.history(store.require(name)); }

    @Override public void tag(String source, String repo, String tag) {
        Image img = store.require(source);
        Reference ref = Reference.of(repo, tag).withDefaultTag();
        io(() -> store.tag(ref, img.id()));
        events.publish("image", "tag", img.id().toString(), Map.of("name", ref.familiarString()));
    }

    @Override public List<ImageDeleteItem> remove(String name, boolean force, boolean noPrune) {
        Image img = store.require(name);
        List<ImageDeleteItem> out = new ArrayList<>();
        List<Reference> refs = store.refsOf(img.id());
        boolean byId = isIdPrefix(img.id(), name);
        List<? extends ImageUsage.ImageUser> users = usage.usersOf(img.id().toString());
        if (!byId) {
            Reference ref = Reference.parse(name).withDefaultTag();
            if (refs.size() == 1 && !users.isEmpty() && !force) {
                throw new BerthException.Conflict("conflict: unable to remove repository reference \"" + name + "\" (must force) - container "
                        + users.getFirst().id().substring(0, 12) + " is using its referenced image " + img.id().shortHex());
            }
            untag(img, ref, out);
            if (!store.refsOf(img.id()).isEmpty() || !users.isEmpty()) return out;
        } else {
            for (ImageUsage.ImageUser u : users) {
                if (u.isRunning()) {
                    throw new BerthException.Conflict("conflict: unable to delete " + img.id().shortHex()
                            + " (cannot be forced) - image is being used by running container " + u.id().substring(0, 12));
                }
                if (!force) {
                    throw new BerthException.Conflict("conflict: unable to delete " + img.id().shortHex()
                            + " (must be forced) - image is being used by stopped container " + u.id().substring(0, 12));
                }
            }
            if (refs.size() > 1 && !force) {
                throw new BerthException.Conflict("conflict: unable to delete " + img.id().shortHex()
                        + " (must be forced) - image is referenced in multiple repositories");
            }
            for (Reference r : refs) untag(img, r, out);
            if (!users.isEmpty()) return out;
        }
        delete(img, out, !noPrune);
        return out;
    }

    private static boolean isIdPrefix(Digest id, String name) {
        return id.toString().startsWith(name) || id.hex().startsWith(name);
    }

    private void untag(Image img, Reference ref, List<ImageDeleteItem> out) {
        if (io(() -> store.untag(ref)).isPresent()) {
            out.add(ImageDeleteItem.untagged(ref.familiarString()));
            events.publish("image", "untag", img.id().toString(), Map.of("name", ref.familiarString()));
        }
    }

    /**
     * Deletes {@code img}, then (with {@code pruneParents}, as moby's {@code imageDeleteHelper} with prune) each parent
     * up the chain that is now unwanted: untagged, used by no container, and the parent of no other image. The layers
     * no image holds any more go last.
     */
    private void delete(Image img, List<ImageDeleteItem> out, boolean pruneParents) {
        for (Image next = img; next != null; next = pruneParents ? unwantedParent(next) : null) {
            Image gone = next;
            io(() -> {
                store.remove(gone.id());
                return null;
            });
            out.add(ImageDeleteItem.deleted(gone.id().toString()));
            events.publish("image", "delete", gone.id().toString(), Map.of("name", gone.id().toString()));
        }
        for (Digest chain : io(store::collect).removedSnapshots()) out.add(ImageDeleteItem.deleted(chain.toString()));
    }

    /** The parent of a deleted image when nothing wants it any more (no tag, no container, no other child); else null. */
    private Image unwantedParent(Image deleted) {
        String parent = deleted.parent();
        if (parent == null || parent.isEmpty()) return null;
        Image p = store.get(Digest.parse(parent)).orElse(null);
        if (p == null || !store.refsOf(p.id()).isEmpty() || !usage.usersOf(p.id().toString()).isEmpty()) return null;
        return parents().contains(p.id().toString()) ? null : p;
    }

    @Override public void load(InputStream archive, boolean quiet, ProgressSink progress) {
        ProgressSink layerProgress = quiet ? ProgressSink.DISCARD : progress;
        boolean ok = false;
        try (Lease lease = store.lease()) {
            for (ImageLoader.Loaded l : io(() -> loader.load(archive, lease, layerProgress))) {
                Image img = l.image();
                for (Reference name : l.names()) {
                    var previous = io(() -> store.tag(name, img.id()));
                    if (previous.isPresent() && store.refsOf(previous.get()).isEmpty()) {
                        progress.send(JsonMessage.stream("The image " + name.familiarString() + " already exists, renaming the old one with ID "
                                + previous.get() + " to empty string\n"));
                    }
                    progress.send(JsonMessage.stream("Loaded image: " + name.familiarString() + "\n"));
                }
                if (l.names().isEmpty()) progress.send(JsonMessage.stream("Loaded image ID: " + img.id() + "\n"));
                String display = l.names().isEmpty() ? img.id().toString() : l.names().getFirst().familiarString();
                events.publish("image", "load", img.id().toString(), Map.of("name", display));
            }
            ok = true;
        } finally {
            if (!ok) collectQuietly();
        }
    }

    @Override public void save(List<String> names, OutputStream out) {
        if (names.isEmpty()) throw new BerthException.InvalidArgument("no images given to save");
        Map<Digest, ImageSaver.Item> items = new LinkedHashMap<>();
        for (String name : names) {
            for (Map.Entry<Image, List<Reference>> e : namesToSave(name).entrySet()) {
                ImageSaver.Item prev = items.get(e.getKey().id());
                List<Reference> merged = new ArrayList<>(prev == null ? List.of() : prev.names());
                for (Reference r : e.getValue()) if (!merged.contains(r)) merged.add(r);
                items.put(e.getKey().id(), new ImageSaver.Item(e.getKey(), merged));
            }
        }
        io(() -> {
            saver.save(List.copyOf(items.values()), out);
            return null;
        });
        for (ImageSaver.Item item : items.values()) {
            String display = item.names().isEmpty() ? item.image().id().toString() : item.names().getFirst().familiarString();
            events.publish("image", "save", item.image().id().toString(), Map.of("name", display));
        }
    }

    /**
     * What {@code docker save NAME} writes: a name with a tag saves that tag; a bare repository
     * saves every tag of it (as Docker does); an ID or digest saves the image without names.
     */
    private Map<Image, List<Reference>> namesToSave(String name) {
        Map<Image, List<Reference>> out = new LinkedHashMap<>();
        Reference given = null;
        try {
            given = Reference.parse(name);
        } catch (BerthException.InvalidArgument e) {
            // an ID prefix such as a full sha256:… is not a reference
        }
        if (given != null && given.tag() == null && given.digest() == null && !name.matches("[a-f0-9]{12,64}")) {
            for (Map.Entry<Reference, Digest> e : store.refs().entrySet()) {
                if (e.getKey().name().equals(given.name()) && e.getKey().tag() != null) {
                    out.computeIfAbsent(store.get(e.getValue()).orElseThrow(), k -> new ArrayList<>()).add(e.getKey());
                }
            }
            if (!out.isEmpty()) return out;
        }
        Image img = store.require(name);
        out.put(img, given != null && given.tag() != null && !isIdPrefix(img.id(), name) ? List.of(given) : List.of());
        return out;
    }

    @Override public void importImage(ImportRequest request, ProgressSink progress) {
        Reference ref = request.repo() == null || request.repo().isEmpty() ? null : Reference.of(request.repo(), request.tag()).withDefaultTag();
        boolean ok = false;
        try (Lease lease = store.lease()) {
            Image img = io(() -> importer.importImage(request, lease, progress));
            events.publish("image", "import", img.id().toString(), Map.of("name", img.id().toString()));
            if (ref != null) {
                io(() -> store.tag(ref, img.id()));
                events.publish("image", "tag", img.id().toString(), Map.of("name", ref.familiarString()));
            }
            progress.send(JsonMessage.status(null, img.id().toString()));
            ok = true;
        } finally {
            if (!ok) collectQuietly();
        }
    }

    @Override public ImagePruneReport prune(Filters filters) {
        filters.requireOnly(PRUNE_FILTERS);
        Boolean danglingOnly = filters.bool("dangling");
        boolean onlyDangling = danglingOnly == null || danglingOnly;
        Instant until = filters.has("until") ? TimeFilters.parse(filters.get("until").getFirst()) : null;
        List<ImageDeleteItem> deleted = new ArrayList<>();
        long before = io(store::diskUsage);
        Set<String> parents = parents();
        for (Image img : store.all()) {
            List<Reference> refs = store.refsOf(img.id());
            if (parents.contains(img.id().toString())) continue; // only top images are pruned, as moby
            if (onlyDangling && !refs.isEmpty()) continue;
            if (!usage.usersOf(img.id().toString()).isEmpty()) continue;
            if (until != null && !createdOf(img).isBefore(until)) continue;
            if (!views.labelsMatch(img, filters.get("label"))) continue;
            if (filters.has("label!") && views.labelsMatchAny(img, filters.get("label!"))) continue;
            for (Reference r : refs) untag(img, r, deleted);
            delete(img, deleted, true);
        }
        long reclaimed = Math.max(0, before - io(store::diskUsage));
        events.publish("image", "prune", "", Map.of("reclaimed", Long.toString(reclaimed)));
        return new ImagePruneReport(deleted.isEmpty() ? null : deleted, reclaimed);
    }

    /** The IDs of the images some image was committed or built on. */
    private Set<String> parents() {
        Set<String> out = new java.util.HashSet<>();
        for (Image img : store.all()) if (img.parent() != null && !img.parent().isEmpty()) out.add(img.parent());
        return out;
    }

    private void collectQuietly() {
        try {
            store.collect();
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(LocalImageService.class).warn("garbage collection after a failed operation: {}", e.toString());
        }
    }

    /** Sizes per image, for system df. */
    public List<ImageSummary> diskUsageSummaries() {
        Map<Digest, Long> shared = views.sharedSizes();
        List<ImageSummary> out = new ArrayList<>();
        for (Image img : store.all()) {
            out.add(views.summary(img, store.refsOf(img.id()), shared.getOrDefault(img.id(), 0L), usage.usersOf(img.id().toString()).size()));
        }
        out.sort(Comparator.comparingLong(ImageSummary::created).reversed());
        return out;
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T io(IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<Digest, Long> layerSizes(ImageStore store) {
        Map<Digest, Long> out = new HashMap<>();
        for (Snapshot s : store.snapshots().list()) out.put(s.chainId(), s.size());
        return out;
    }

    static String createdString(ImageConfig c) { return c.created() == null ? "0001-01-01T00:00:00Z" : c.created(); }
}
