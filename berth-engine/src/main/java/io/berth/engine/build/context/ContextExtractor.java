package io.berth.engine.build.context;

import io.berth.engine.archive.EntryPaths;
import io.berth.engine.archive.TarEntry;
import io.berth.engine.archive.TarReader;
import io.berth.engine.sys.Sys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unpacks a build context tar (already decompressed) into an empty directory. No entry lands outside it: names that
 * climb above the root, parents that are symbolic links and hard links to anything outside are refused
 * ({@link io.berth.api.errors.BerthException.InvalidArgument}); absolute names are taken relative to the root. Device
 * nodes and FIFOs are skipped (a context has no use for them). Modes and mtimes are kept; ownership only when the
 * daemon runs as root (the docker CLI sends 0:0 anyway). Each regular file's {@link SourceHash} entry hash is computed
 * as its bytes go by and recorded in the given {@link ExtractedHashes}. The bodies of files of {@link #HOLD_MIN} bytes
 * or more stay in memory ({@link HeldBodies}) while the pool has room: the file is made, its content written only
 * when something needs it; they are hashed on another thread while the tar is read on ({@link HashQueue}). A large
 * file an earlier build received with the same name, mode, owner and size ({@link SeenFiles}) is first compared with
 * the stored copy as it is read ({@link StoredCompare}): if equal, it is neither held nor hashed, its content being
 * the stored copy's; else it is held or written and hashed as any other.
 */
final class ContextExtractor {
    /** File bodies move in pieces this large: few reads and writes for big files. */
    private static final int CHUNK = 1 << 20;
    /** Smaller files are written at once: holding them would save next to nothing. */
    static final long HOLD_MIN = 64 * 1024;

    private final Sys sys;
    private final EntryPaths paths;
    private final ExtractedHashes hashes;
    private final HeldBodies bodies;
    private final SeenFiles seen;
    private byte[] buffer;
    private long written;

    /** {@code seen} (may be null) has the content of large files earlier builds received. */
    ContextExtractor(Sys sys, ExtractedHashes hashes, HeldBodies bodies, SeenFiles seen) {
        this.sys = sys;
        this.paths = new EntryPaths(sys, "the build context");
        this.hashes = hashes;
        this.bodies = bodies;
        this.seen = seen;
    }

    /** Unpacks {@code tar} into the empty directory {@code root}. */
    void extract(InputStream tar, Path root) throws IOException {
        extract(tar, root, false);
    }

    /**
     * Unpacks {@code tar} into {@code root}; {@code used}: an earlier context's files are there ({@link ContextDirs}),
     * and a file of the same name is rewritten in place (a regular file with one link, when the daemon is root), any
     * other entry replaced, and what the tar does not name removed, so the result is what an empty directory would
     * have become.
     */
    void extract(InputStream tar, Path root, boolean used) throws IOException {
        try (HashQueue queue = new HashQueue(hashes)) {
            extract(tar, root, used, queue);
            queue.finish();
        }
    }

    /** The bytes of file content written to disk while unpacking (held bodies are not). */
    long written() { return written; }

    private void extract(InputStream tar, Path root, boolean usedDir, HashQueue queue) throws IOException {
        Sys.LStat self = sys.lstat(root); // we made root: its owner is who we are
        boolean chown = self.uid() == 0;
        boolean used = usedDir && chown; // rewriting a file in place may need root's rights to it
        Set<String> entries = new HashSet<>();
        Set<String> parents = new HashSet<>();
        Map<Path, TarEntry> dirs = new LinkedHashMap<>();
        TarReader reader = new TarReader(tar);
        TarEntry e;
        while ((e = reader.next()) != null) {
            List<String> comps = paths.components(e.name(), e.name());
            if (comps.isEmpty()) continue; // the root itself
            switch (e.type()) {
                case CHAR, BLOCK, FIFO -> { continue; }
                default -> { }
            }
            Path parent = paths.ensureParents(root, comps.subList(0, comps.size() - 1), e.name());
            Path path = parent.resolve(comps.getLast());
            Path linkTarget = e.type() == TarEntry.Type.HARDLINK ? paths.hardlinkTarget(root, e) : null;
            if (path.equals(linkTarget)) continue;
            String rel = String.join("/", comps);
            for (int i = 1; i < comps.size(); i++) parents.add(String.join("/", comps.subList(0, i)));
            boolean again = !entries.add(rel); // an entry of this tar is replaced
            Sys.LStat existing = paths.lstatOrNull(path);
            boolean inPlace = used && !again && existing != null && existing.isRegular() && existing.nlink() == 1
                    && e.type() == TarEntry.Type.FILE;
            if (existing != null && !inPlace && !(existing.isDir() && e.type() == TarEntry.Type.DIR)) {
                paths.removeAll(path);
                queue.forget(rel);
                bodies.forget(rel);
            }
            switch (e.type()) {
                case DIR -> {
                    if (existing == null || !existing.isDir()) Files.createDirectory(path);
                }
                case FILE -> {
                    int mode = Sys.S_IFREG | (e.mode() & 07777);
                    int uid = chown ? e.uid() : self.uid(), gid = chown ? e.gid() : self.gid();
                    SeenFiles.Key key = new SeenFiles.Key(rel, mode, uid, gid, e.size());
                    InputStream content = reader.content();
                    SeenFiles.Candidate candidate = e.size() >= HOLD_MIN && seen != null ? seen.lookup(key) : null;
                    if (candidate != null) {
                        if (buffer == null) buffer = new byte[CHUNK];
                        switch (new StoredCompare(buffer).compare(content, e.size(), candidate)) {
                            case StoredCompare.Same same -> {
                                bodies.holdStored(rel, path, same.stored(), e.size(), e.mode() & 07777, e.mtime(), inPlace);
                                queue.put(EntryDigest.known(key, candidate.hex()));
                                content = null;
                            }
                            case StoredCompare.Different different -> content = different.body();
                        }
                    }
                    if (content != null) {
                        EntryDigest digest = EntryDigest.hashing(key);
                        if (e.size() >= HOLD_MIN && bodies.reserve(e.size())) {
                            long at = bodies.append(content, e.size(), (b, off, n) -> queue.update(digest, b, off, n));
                            bodies.hold(rel, path, at, e.size(), e.mode() & 07777, e.mtime(), inPlace);
                        } else {
                            write(content, path, digest, inPlace);
                        }
                        queue.put(digest);
                    }
                }
                case SYMLINK -> Files.createSymbolicLink(path, Path.of(e.linkName()));
                case HARDLINK -> {
                    bodies.write(root.relativize(linkTarget).toString()); // the link is read from disk
                    Files.createLink(path, linkTarget);
                    continue;
                }
                default -> throw new IllegalStateException("skipped above: " + e.type());
            }
            if (chown) sys.lchown(path, e.uid(), e.gid());
            if (e.type() == TarEntry.Type.DIR) {
                sys.chmod(path, 0700); // its own mode last: a read-only directory may still get children
                dirs.remove(path);
                dirs.put(path, e);
                continue;
            }
            if (e.type() == TarEntry.Type.FILE) sys.chmod(path, e.mode() & 07777);
            sys.lutimes(path, e.mtime(), e.mtime());
        }
        if (used) sweep(root, entries, parents);
        List<Map.Entry<Path, TarEntry>> done = new ArrayList<>(dirs.entrySet());
        for (int i = done.size() - 1; i >= 0; i--) {
            Path p = done.get(i).getKey();
            TarEntry d = done.get(i).getValue();
            Sys.LStat st = paths.lstatOrNull(p);
            if (st == null || !st.isDir()) continue; // replaced by a later entry
            sys.chmod(p, d.mode() & 07777);
            sys.lutimes(p, d.mtime(), d.mtime());
        }
    }

    /**
     * Writes {@code content} to the new file {@code path} (or over the existing one, {@code inPlace}), feeding it to
     * {@code digest} on the way.
     */
    private void write(InputStream content, Path path, EntryDigest digest, boolean inPlace) throws IOException {
        if (buffer == null) buffer = new byte[CHUNK];
        StandardOpenOption how = inPlace ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.CREATE_NEW;
        try (OutputStream out = Files.newOutputStream(path, how, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = content.readNBytes(buffer, 0, CHUNK)) > 0) {
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                written += n;
            }
        }
    }

    /**
     * Removes what an earlier context left that this tar does not name, and gives a directory that is only a parent
     * here the mode {@link EntryPaths#ensureParents} gives a new one.
     */
    private void sweep(Path root, Set<String> entries, Set<String> parents) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(root)) return FileVisitResult.CONTINUE;
                String rel = root.relativize(dir).toString();
                if (entries.contains(rel)) return FileVisitResult.CONTINUE;
                if (parents.contains(rel)) {
                    sys.chmod(dir, 0755);
                    return FileVisitResult.CONTINUE;
                }
                paths.removeAll(dir);
                return FileVisitResult.SKIP_SUBTREE;
            }

            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!entries.contains(root.relativize(file).toString())) Files.delete(file);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
