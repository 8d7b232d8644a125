package io.berth.engine.build.context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of large context files that earlier builds received, kept on disk so that a build receiving the same
 * file again recognises it by comparing bytes instead of hashing them: comparing runs several times faster than
 * SHA-256, which was most of an all-cache rebuild's time. A file is looked up by the fields of its entry hash other than
 * the content (name, mode, owner, size: {@link SourceHash#regularFile}); if the bytes received equal the stored ones,
 * the stored entry hash is the file's, exactly, since both header and content are the same. Nothing is trusted from
 * the file's metadata alone (BuildKit's file sync trusts mtimes; the classic API sends them in whole seconds, too
 * coarse to tell two versions of a file apart). Content files are named by their entry hash; the index is in memory
 * (the directory is emptied when the daemon starts, as the rest of the build scratch), least recently used first out
 * beyond {@code capacity} bytes. They are build cache ({@link #list()}, {@link #remove}) as BuildKit's local sources are.
 * Thread-safe.
 */
public final class SeenFiles {
    /** What a received file is looked up by: the header fields of its entry hash. */
    record Key(String rel, int mode, int uid, int gid, long size) {}

    /** A stored file that a received one may equal: its entry hash, and where its content is. */
    record Candidate(String hex, Path content) {}

    /** A stored file as {@code system df} and {@code builder prune} see it. */
    public record Stored(String hex, long size, Instant created, Instant lastUsed) {}

    /** Writes a body to a new file. */
    interface Body {
        void writeTo(FileChannel out) throws IOException;
    }

    private final Path dir;
    private final long capacity;
    private final LinkedHashMap<Key, String> index = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Stored> stats = new HashMap<>();
    private long stored;

    /** Keeps up to {@code capacity} bytes of content in {@code dir} (made when first needed). */
    public SeenFiles(Path dir, long capacity) {
        this.dir = dir;
        this.capacity = capacity;
    }

    /** The stored file a received one with these header fields may equal, or null. */
    synchronized Candidate lookup(Key key) {
        String hex = index.get(key);
        if (hex == null) return null;
        stats.computeIfPresent(hex, (h, st) -> new Stored(h, st.size(), st.created(), Instant.now()));
        return new Candidate(hex, dir.resolve(hex));
    }

    /**
     * Stores {@code body} as the content of the file with header {@code key} and entry hash {@code hex} (which the
     * caller computed from exactly that content), unless it is stored already; the least recently used go beyond the
     * capacity.
     */
    void remember(Key key, String hex, Body body) throws IOException {
        if (key.size() > capacity) return;
        synchronized (this) {
            if (hex.equals(index.get(key))) return;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "in-", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                body.writeTo(out);
            }
            Files.move(tmp, dir.resolve(hex), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        synchronized (this) {
            String old = index.put(key, hex);
            if (hex.equals(old)) return; // another build stored the same meanwhile
            if (old != null) drop(old, key.size());
            stored += key.size();
            Instant now = Instant.now();
            stats.put(hex, new Stored(hex, key.size(), now, now));
            Iterator<Map.Entry<Key, String>> lru = index.entrySet().iterator();
            while (stored > capacity && lru.hasNext()) {
                Map.Entry<Key, String> e = lru.next();
                lru.remove();
                drop(e.getValue(), e.getKey().size());
            }
        }
    }

    /** What is stored now, least recently used first. */
    public synchronized List<Stored> list() {
        List<Stored> out = new ArrayList<>();
        for (String hex : index.values()) out.add(stats.get(hex));
        return out;
    }

    /** Removes the stored file named {@code hex} ({@code builder prune}); false when there is none. */
    public synchronized boolean remove(String hex) {
        Iterator<Map.Entry<Key, String>> it = index.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, String> e = it.next();
            if (!e.getValue().equals(hex)) continue;
            it.remove();
            drop(hex, e.getKey().size());
            return true;
        }
        return false;
    }

    /** Deletes a content file no key names any more (a build comparing with it has it open: that goes on). */
    private void drop(String hex, long size) {
        stored -= size;
        stats.remove(hex);
        try {
            Files.deleteIfExists(dir.resolve(hex));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes stored now. */
    synchronized long stored() { return stored; }
}
