package io.berth.engine.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import io.berth.api.Json;
import io.berth.engine.content.AtomicFiles;
import io.berth.engine.content.ContentStore;
import io.berth.api.errors.BerthException;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.Manifest;
import io.berth.oci.Reference;
import io.berth.engine.snapshot.OverlaySnapshotter;
import io.berth.engine.snapshot.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image records and tags, kept in memory and persisted under {@code <data-root>/images}:
 * {@code <id-hex>.json} per image and {@code refs.json} for names. Also collects garbage: blobs
 * and snapshots that no image, lease or extra root references.
 */
public final class ImageStore {
    private static final Logger LOG = LoggerFactory.getLogger(ImageStore.class);
    private static final Pattern HEX_PREFIX = Pattern.compile("(sha256:)?[a-f0-9]{1,64}");

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    private record Record(String id, String manifest, String lastTagTime, List<String> repoDigests, String parent) {}

    private final Path root;
    private final ContentStore content;
    private final OverlaySnapshotter snapshots;
    private final Map<Digest, Image> images = new ConcurrentHashMap<>();
    private final Map<Reference, Digest> refs = new ConcurrentHashMap<>();
    private final Set<Lease> leases = ConcurrentHashMap.newKeySet();
    private final ImageUsage usage;
    private final DerivedBlobs derived;
    private final Object writeLock = new Object();

    /** {@code usage} names the containers' layers, which garbage collection keeps with the images' own. */
    public ImageStore(Path root, ContentStore content, OverlaySnapshotter snapshots, ImageUsage usage) {
        this(root, content, snapshots, usage, DerivedBlobs.NONE);
    }

    /** As above; collection also keeps the {@code derived} blobs of live layers. */
    public ImageStore(Path root, ContentStore content, OverlaySnapshotter snapshots, ImageUsage usage, DerivedBlobs derived) {
        this.root = root;
        this.usage = usage;
        this.derived = derived;
        this.content = content;
        this.snapshots = snapshots;
        try {
            Files.createDirectories(root);
            loadAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open image store " + root, e);
        }
    }

    private void loadAll() throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    Files.deleteIfExists(f); // a temp file of an interrupted atomic write
                    continue;
                }
                if (!name.endsWith(".json") || name.equals("refs.json")) continue;
                try {
                    Record r = Json.plain().readValue(f.toFile(), Record.class);
                    Image img = materialize(Digest.parse(r.id()), Digest.parse(r.manifest()),
                            r.lastTagTime() == null ? null : Instant.parse(r.lastTagTime()),
                            r.repoDigests() == null ? List.of() : r.repoDigests()).withParent(r.parent());
                    images.put(img.id(), img);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("dropping unreadable image record {}: {}", f, e.getMessage());
                    Files.deleteIfExists(f);
                }
            }
        }
        Path refsFile = root.resolve("refs.json");
        if (Files.exists(refsFile)) {
            Map<String, String> m = Json.plain().readValue(refsFile.toFile(), new TypeReference<Map<String, String>>() {});
            m.forEach((k, v) -> {
                Digest id = Digest.parse(v);
                if (images.containsKey(id)) refs.put(Reference.parse(k), id);
            });
        }
    }

    /** Builds the in-memory image from its blobs; the snapshots of its layers must exist. */
    Image materialize(Digest id, Digest manifestDigest, Instant lastTagTime, List<String> repoDigests) throws IOException {
        Manifest manifest = Json.plain().readValue(content.read(manifestDigest), Manifest.class);
        ImageConfig config = Json.plain().readValue(content.read(id), ImageConfig.class);
        List<Digest> diffIds = config.diffIds();
        if (diffIds.size() != manifest.layers().size()) {
            throw new BerthException.InvalidArgument("image " + id + ": manifest has " + manifest.layers().size()
                    + " layers but the config lists " + diffIds.size());
        }
        List<Digest> chains = Digest.chainIds(diffIds);
        List<Image.Layer> layers = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            if (snapshots.get(chains.get(i)).isEmpty()) throw new BerthException.NotFound("layer " + chains.get(i) + " is not unpacked");
            layers.add(new Image.Layer(manifest.layers().get(i), diffIds.get(i), chains.get(i)));
        }
        return new Image(id, manifestDigest, config, layers, lastTagTime, repoDigests, null);
    }

    public Lease lease() { return new Lease(leases); }

    public ContentStore content() { return content; }

    public OverlaySnapshotter snapshots() { return snapshots; }

    public Optional<Image> get(Digest id) { return Optional.ofNullable(images.get(id)); }

    public List<Image> all() { return new ArrayList<>(images.values()); }

    public int count() { return images.size(); }

    /** Names of an image, sorted as Docker lists them. */
    public List<Reference> refsOf(Digest id) {
        List<Reference> out = new ArrayList<>();
        refs.forEach((r, d) -> { if (d.equals(id)) out.add(r); });
        out.sort(Comparator.comparing(Reference::toString));
        return out;
    }

    /**
     * Finds an image by full ID, reference, or unique ID prefix (in that order, as moby does).
     * InvalidArgument for a malformed reference that is not an ID prefix either.
     */
    public Optional<Image> find(String name) {
        if (Digest.isDigest(name)) return get(Digest.parse(name));
        Reference ref = null;
        try {
            ref = Reference.parse(name).withDefaultTag();
        } catch (BerthException.InvalidArgument e) {
            if (!HEX_PREFIX.matcher(name).matches()) throw e;
        }
        if (ref != null) {
            Digest id = refs.get(ref);
            if (id != null) return get(id);
            if (ref.digest() != null) {
                String d = ref.digest();
                Reference repo = ref;
                for (Image img : images.values()) {
                    if (img.repoDigests().contains(repo.familiarName() + "@" + d)) return Optional.of(img);
                }
            }
        }
        if (HEX_PREFIX.matcher(name).matches()) {
            String prefix = name.startsWith("sha256:") ? name.substring(7) : name;
            Image found = null;
            for (Image img : images.values()) {
                if (img.id().hex().startsWith(prefix)) {
                    if (found != null) throw new BerthException.InvalidArgument("multiple IDs found with provided prefix: " + prefix);
                    found = img;
                }
            }
            return Optional.ofNullable(found);
        }
        return Optional.empty();
    }

    /** Like {@link #find} but NotFound with Docker's message. */
    public Image require(String name) {
        return find(name).orElseThrow(() -> new BerthException.NotFound("No such image: " + displayName(name)));
    }

    /** How Docker names a missing image in errors: the familiar reference with its default tag. */
    public static String displayName(String name) {
        try {
            return HEX_PREFIX.matcher(name).matches() && !name.matches("[a-z0-9]+") ? name : Reference.parse(name).withDefaultTag().familiarString();
        } catch (BerthException.InvalidArgument e) {
            return name;
        }
    }

    /** Adds (or replaces) an image record. */
    public void put(Image img) throws IOException {
        synchronized (writeLock) {
            writeRecord(img);
            images.put(img.id(), img);
        }
    }

    private void writeRecord(Image img) throws IOException {
        Record r = new Record(img.id().toString(), img.manifestDigest().toString(),
                img.lastTagTime() == null ? null : img.lastTagTime().toString(), img.repoDigests(), img.parent());
        AtomicFiles.write(root.resolve(img.id().hex() + ".json"), Json.plain().writeValueAsBytes(r));
    }

    /** Adds {@code repoDigest} to the image's RepoDigests (nothing when present); returns the image as stored. */
    Image addRepoDigest(Digest id, String repoDigest) throws IOException {
        synchronized (writeLock) {
            Image img = images.get(id);
            if (img == null) throw new BerthException.NotFound("No such image: " + id);
            if (img.repoDigests().contains(repoDigest)) return img;
            List<String> digests = new ArrayList<>(img.repoDigests());
            digests.add(repoDigest);
            Image updated = new Image(img.id(), img.manifestDigest(), img.config(), img.layers(), img.lastTagTime(), digests,
                    img.parent());
            writeRecord(updated);
            images.put(id, updated);
            return updated;
        }
    }

    /**
     * Records that {@code id} (already stored) was committed or built here on {@code parent} ("" for none): it then
     * shows as the image's {@code Parent} and is a build-cache candidate. Persisted with the image's record. (A commit
     * records its parent with the image's first write; this is for an image that comes to count as built here, such
     * as a cache-from image the builder reuses whole.)
     */
    public Image setParent(Digest id, String parent) throws IOException {
        synchronized (writeLock) {
            Image img = images.get(id);
            if (img == null) throw new BerthException.NotFound("No such image: " + id);
            Image updated = img.withParent(parent == null ? "" : parent);
            writeRecord(updated);
            images.put(id, updated);
            return updated;
        }
    }

    /** The images committed or built here on {@code parent} ("" for none). */
    public List<Image> children(String parent) {
        String p = parent == null ? "" : parent;
        return images.values().stream().filter(i -> p.equals(i.parent())).toList();
    }

    /** Points {@code ref} at {@code id}; returns the image it pointed at before, if another. */
    public Optional<Digest> tag(Reference ref, Digest id) throws IOException {
        synchronized (writeLock) {
            Image img = images.get(id);
            if (img == null) throw new BerthException.NotFound("No such image: " + id);
            Digest previous = refs.put(ref, id);
            if (!id.equals(previous)) writeRefs(); // a tag that already points here changes nothing on disk (moby's AddTag)
            Image updated = img.withLastTagTime(Instant.now());
            writeRecord(updated);
            images.put(id, updated);
            return previous == null || previous.equals(id) ? Optional.empty() : Optional.of(previous);
        }
    }

    /** Removes a name; returns the image it pointed at. */
    public Optional<Digest> untag(Reference ref) throws IOException {
        synchronized (writeLock) {
            Digest id = refs.remove(ref);
            if (id != null) writeRefs();
            return Optional.ofNullable(id);
        }
    }

    private void writeRefs() throws IOException {
        Map<String, String> m = new TreeMap<>();
        refs.forEach((r, d) -> m.put(r.toString(), d.toString()));
        AtomicFiles.write(root.resolve("refs.json"), Json.plain().writeValueAsBytes(m));
    }

    /** Removes the image record and its names (blobs and snapshots go at the next {@link #collect}). */
    public void remove(Digest id) throws IOException {
        synchronized (writeLock) {
            boolean named = refs.values().removeIf(id::equals);
            if (named) writeRefs();
            images.remove(id);
            Files.deleteIfExists(root.resolve(id.hex() + ".json"));
        }
    }

    /**
     * Deletes every blob and snapshot that no image, lease or registered root needs.
     * Returns the ChainIDs of the snapshots removed and the bytes freed.
     */
    public GcResult collect() throws IOException {
        synchronized (writeLock) {
            Set<Digest> liveBlobs = new HashSet<>();
            Set<Digest> liveChains = new HashSet<>();
            Set<Digest> liveDiffIds = new HashSet<>();
            for (Image img : images.values()) {
                liveBlobs.add(img.id());
                liveBlobs.add(img.manifestDigest());
                for (Image.Layer l : img.layers()) {
                    liveBlobs.add(l.blob().digestValue());
                    liveChains.add(l.chainId());
                    liveDiffIds.add(l.diffId());
                }
            }
            liveBlobs.addAll(derived.of(liveDiffIds));
            liveChains.addAll(usage.layersInUse());
            // parents of live snapshots stay too
            for (Snapshot s : snapshots.list()) {
                if (liveChains.contains(s.chainId())) {
                    for (Digest p = s.parent(); p != null; p = snapshots.get(p).map(Snapshot::parent).orElse(null)) liveChains.add(p);
                }
            }
            long freed = 0;
            List<Digest> removedSnapshots = new ArrayList<>();
            for (Snapshot s : snapshots.list()) {
                if (!liveChains.contains(s.chainId()) && !leased(s.chainId())) {
                    snapshots.remove(s.chainId());
                    freed += s.diskUsage();
                    removedSnapshots.add(s.chainId());
                }
            }
            for (Digest d : content.list()) {
                if (!liveBlobs.contains(d) && !leased(d)) {
                    freed += Files.size(content.path(d));
                    content.delete(d);
                }
            }
            return new GcResult(removedSnapshots, freed);
        }
    }

    private boolean leased(Digest d) {
        for (Lease l : leases) if (l.holds(d)) return true;
        return false;
    }

    public record GcResult(List<Digest> removedSnapshots, long bytesFreed) {}

    /** Total bytes on disk of blobs and snapshots (what {@code system df} reports as LayersSize). */
    public long diskUsage() throws IOException {
        long total = 0;
        for (Snapshot s : snapshots.list()) total += s.diskUsage();
        for (Digest d : content.list()) total += Files.size(content.path(d));
        return total;
    }

    /** Unpacked size of an image: the sum of its layers' content sizes. */
    public long size(Image img) {
        long total = 0;
        for (Image.Layer l : img.layers()) total += snapshots.get(l.chainId()).map(Snapshot::size).orElse(0L);
        return total;
    }

    /** All names, for listing. */
    public Map<Reference, Digest> refs() { return new LinkedHashMap<>(refs); }

    static Descriptor manifestDescriptor(Digest d, long size) {
        return new Descriptor(io.berth.oci.MediaTypes.OCI_MANIFEST, d, size);
    }
}
