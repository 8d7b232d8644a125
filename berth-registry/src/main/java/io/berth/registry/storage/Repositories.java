package io.berth.registry.storage;

import io.berth.registry.spec.BlobDigest;
import io.berth.registry.spec.RegistryError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;

/**
 * Per-repository links over the shared {@link BlobStore}: {@code repositories/<name>/_layers/<alg>/<hex>} (the blobs
 * the repository may serve), {@code _manifests/revisions/<alg>/<hex>} (its manifests, holding their media type),
 * {@code _manifests/tags/<tag>} (a digest) and {@code _referrers/<alg>/<hex>/<alg>-<hex>} (a referrer's descriptor, by
 * subject). Every file is written to a temporary name, fsynced and renamed. Each repository's links are read once into
 * memory and kept there, so requests do not scan directories.
 */
public final class Repositories {
    /** What one repository holds, mirrored in memory. */
    public static final class Repo {
        final String name;
        final Path dir;
        final Set<BlobDigest> layers = ConcurrentHashMap.newKeySet();
        final Map<BlobDigest, String> revisions = new ConcurrentHashMap<>();
        final NavigableMap<String, BlobDigest> tags = new ConcurrentSkipListMap<>();
        final Map<BlobDigest, Map<BlobDigest, byte[]>> referrers = new ConcurrentHashMap<>();

        Repo(String name, Path dir) {
            this.name = name;
            this.dir = dir;
        }

        public String name() { return name; }

        public Set<BlobDigest> layers() { return Set.copyOf(layers); }

        public Map<BlobDigest, String> revisions() { return Map.copyOf(revisions); }

        public NavigableMap<String, BlobDigest> tags() { return new java.util.TreeMap<>(tags); }
    }

    private final Path dir;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final NavigableSet<String> names = new ConcurrentSkipListSet<>();

    public Repositories(Path root) throws IOException {
        this.dir = Files.createDirectories(root.resolve("repositories"));
        scanNames(dir, "");
    }

    private void scanNames(Path d, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String f = p.getFileName().toString();
                if (!Files.isDirectory(p)) continue;
                if (f.startsWith("_")) {
                    if (!prefix.isEmpty()) names.add(prefix);
                } else {
                    scanNames(p, prefix.isEmpty() ? f : prefix + "/" + f);
                }
            }
        }
    }

    /** Every repository name, sorted. */
    public NavigableSet<String> names() { return names; }

    /** The repository, or null when it has nothing yet. */
    public Repo find(String name) throws IOException {
        Repo r = repos.get(name);
        if (r != null) return r;
        if (!names.contains(name)) return null;
        return load(name);
    }

    /** The repository, created when absent. */
    public Repo open(String name) throws IOException {
        Repo r = repos.get(name);
        return r != null ? r : load(name);
    }

    private synchronized Repo load(String name) throws IOException {
        Repo existing = repos.get(name);
        if (existing != null) return existing;
        Repo r = new Repo(name, dir.resolve(name));
        readLinks(r.dir.resolve("_layers"), (d, text) -> r.layers.add(d));
        readLinks(r.dir.resolve("_manifests/revisions"), r.revisions::put);
        Path tags = r.dir.resolve("_manifests/tags");
        if (Files.isDirectory(tags)) {
            try (Stream<Path> s = Files.list(tags)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (p.getFileName().toString().endsWith(".tmp")) continue;
                    r.tags.put(p.getFileName().toString(), BlobDigest.parse(Files.readString(p).trim()));
                }
            }
        }
        Path refs = r.dir.resolve("_referrers");
        if (Files.isDirectory(refs)) {
            try (Stream<Path> s = Files.walk(refs, 3)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (!Files.isRegularFile(p) || p.getFileName().toString().endsWith(".tmp")) continue;
                    Path subj = p.getParent();
                    BlobDigest subject = new BlobDigest(subj.getParent().getFileName().toString(), subj.getFileName().toString());
                    BlobDigest referrer = BlobDigest.parse(p.getFileName().toString().replaceFirst("-", ":"));
                    r.referrers.computeIfAbsent(subject, k -> new ConcurrentHashMap<>()).put(referrer, Files.readAllBytes(p));
                }
            }
        }
        repos.put(name, r);
        return r;
    }

    private static void readLinks(Path base, java.util.function.BiConsumer<BlobDigest, String> into) throws IOException {
        for (String alg : new String[] {"sha256", "sha512"}) {
            Path d = base.resolve(alg);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String f = p.getFileName().toString();
                    if (f.endsWith(".tmp")) continue;
                    try {
                        into.accept(new BlobDigest(alg, f), Files.readString(p).trim());
                    } catch (RegistryError e) {
                        // not a link
                    }
                }
            }
        }
    }

    public boolean hasLayer(Repo r, BlobDigest d) { return r.layers.contains(d); }

    /** Links blob {@code d} into the repository. */
    public void linkLayer(Repo r, BlobDigest d) throws IOException {
        synchronized (r) {
            if (r.layers.contains(d)) return;
            write(r.dir.resolve("_layers").resolve(d.algorithm()).resolve(d.hex()), new byte[0]);
            r.layers.add(d);
            names.add(r.name);
        }
    }

    /** Unlinks blob {@code d}; false when it was not linked. */
    public boolean unlinkLayer(Repo r, BlobDigest d) throws IOException {
        synchronized (r) {
            if (!r.layers.remove(d)) return false;
            Files.deleteIfExists(r.dir.resolve("_layers").resolve(d.algorithm()).resolve(d.hex()));
            return true;
        }
    }

    /** The media type of manifest {@code d} in the repository, or null. */
    public String manifestType(Repo r, BlobDigest d) { return r.revisions.get(d); }

    /** Records manifest {@code d} (its bytes are in the blob store) with its media type. */
    public void putManifest(Repo r, BlobDigest d, String mediaType) throws IOException {
        synchronized (r) {
            if (!mediaType.equals(r.revisions.get(d))) {
                write(r.dir.resolve("_manifests/revisions").resolve(d.algorithm()).resolve(d.hex()), mediaType.getBytes(StandardCharsets.UTF_8));
                r.revisions.put(d, mediaType);
            }
            names.add(r.name);
        }
    }

    /** Removes manifest {@code d} with the tags pointing at it and its referrer entry; false when unknown. */
    public boolean deleteManifest(Repo r, BlobDigest d) throws IOException {
        synchronized (r) {
            if (r.revisions.remove(d) == null) return false;
            Files.deleteIfExists(r.dir.resolve("_manifests/revisions").resolve(d.algorithm()).resolve(d.hex()));
            for (var e : new ArrayList<>(r.tags.entrySet())) if (e.getValue().equals(d)) deleteTag(r, e.getKey());
            for (var e : r.referrers.entrySet()) {
                if (e.getValue().remove(d) != null) {
                    Files.deleteIfExists(referrerPath(r, e.getKey(), d));
                }
            }
            return true;
        }
    }

    public BlobDigest tag(Repo r, String tag) { return r.tags.get(tag); }

    public void putTag(Repo r, String tag, BlobDigest d) throws IOException {
        synchronized (r) {
            if (d.equals(r.tags.get(tag))) return;
            write(r.dir.resolve("_manifests/tags").resolve(tag), d.toString().getBytes(StandardCharsets.UTF_8));
            r.tags.put(tag, d);
        }
    }

    public boolean deleteTag(Repo r, String tag) throws IOException {
        synchronized (r) {
            if (r.tags.remove(tag) == null) return false;
            Files.deleteIfExists(r.dir.resolve("_manifests/tags").resolve(tag));
            return true;
        }
    }

    /** Records {@code referrer} (its descriptor as JSON) as referring to {@code subject}. */
    public void putReferrer(Repo r, BlobDigest subject, BlobDigest referrer, byte[] descriptorJson) throws IOException {
        synchronized (r) {
            write(referrerPath(r, subject, referrer), descriptorJson);
            r.referrers.computeIfAbsent(subject, k -> new ConcurrentHashMap<>()).put(referrer, descriptorJson);
        }
    }

    /** The descriptors (JSON) of the manifests referring to {@code subject}. */
    public List<byte[]> referrers(Repo r, BlobDigest subject) {
        Map<BlobDigest, byte[]> m = r.referrers.get(subject);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    private static Path referrerPath(Repo r, BlobDigest subject, BlobDigest referrer) {
        return r.dir.resolve("_referrers").resolve(subject.algorithm()).resolve(subject.hex())
                .resolve(referrer.algorithm() + "-" + referrer.hex());
    }

    /** Writes {@code data} to {@code target} atomically and durably. */
    static void write(Path target, byte[] data) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) ch.write(b);
                ch.force(false);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            BlobStore.fsyncDir(target.getParent());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (NoSuchFileException ignored) {
                // moved
            }
        }
    }
}
