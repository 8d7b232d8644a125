package io.berth.registry.storage;

import io.berth.registry.spec.BlobDigest;
import io.berth.registry.spec.RegistryError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The blobs every repository shares, by digest: {@code blobs/<alg>/<hex>}. A blob is written to {@code ingest/},
 * verified against its digest, fsynced and renamed into place, so only whole, verified blobs are ever visible and a
 * blob acknowledged to a client survives a crash. Committing (or re-linking an existing blob) refreshes its mtime,
 * which the garbage collector reads as "recently wanted".
 */
public final class BlobStore {
    /** The copy buffer for blob bodies. */
    public static final int BUFFER = 256 * 1024;

    private final Path blobs;
    private final Path ingest;
    private final Object[] locks = new Object[64];
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    public BlobStore(Path root) throws IOException {
        this.blobs = Files.createDirectories(root.resolve("blobs"));
        this.ingest = Files.createDirectories(root.resolve("ingest"));
        for (int i = 0; i < locks.length; i++) locks[i] = new Object();
        try (Stream<Path> s = Files.list(ingest)) { // leftovers of a crash: never acknowledged
            for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
        }
        forEach((d, size) -> {
            count.incrementAndGet();
            bytes.addAndGet(size);
        });
    }

    public Path path(BlobDigest d) { return blobs.resolve(d.algorithm()).resolve(d.hex()); }

    public boolean has(BlobDigest d) { return Files.isRegularFile(path(d)); }

    /** The blob's size, or -1 when it is not stored. */
    public long size(BlobDigest d) {
        try {
            return Files.size(path(d));
        } catch (IOException e) {
            return -1;
        }
    }

    /** Number of blobs and their bytes, kept as blobs come and go. */
    public long count() { return count.get(); }

    public long bytes() { return bytes.get(); }

    /**
     * Streams {@code in} into a verified blob of digest {@code expected}; returns the size. A mismatch is a 400
     * {@code DIGEST_INVALID} and leaves nothing behind.
     */
    public long ingest(InputStream in, BlobDigest expected, long maxBytes) throws IOException {
        Path tmp = ingest.resolve(UUID.randomUUID() + ".tmp");
        try {
            MessageDigest md = expected.hasher();
            long n = 0;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch)) {
                byte[] buf = new byte[BUFFER];
                int r;
                while ((r = in.read(buf)) > 0) {
                    n += r;
                    if (n > maxBytes) throw new RegistryError(413, "SIZE_INVALID", "content too large");
                    md.update(buf, 0, r);
                    out.write(buf, 0, r);
                }
                out.flush();
                ch.force(false);
            }
            BlobDigest actual = BlobDigest.of(expected.algorithm(), md);
            if (!actual.equals(expected)) throw RegistryError.digestInvalid("expected " + expected + ", got " + actual);
            commit(tmp, expected, n);
            return n;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Stores verified bytes (a manifest) under their digest. */
    public void put(BlobDigest d, byte[] data) throws IOException {
        ingest(new java.io.ByteArrayInputStream(data), d, Long.MAX_VALUE);
    }

    /**
     * Moves a verified, fsynced file into place as blob {@code d} (a finished upload); a blob already there is kept
     * and only touched.
     */
    public void commit(Path verified, BlobDigest d, long size) throws IOException {
        Path target = path(d);
        synchronized (lock(d)) {
            if (Files.exists(target)) {
                touch(target);
                return;
            }
            Files.createDirectories(target.getParent());
            Files.setLastModifiedTime(verified, FileTime.fromMillis(System.currentTimeMillis()));
            try {
                Files.move(verified, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(verified, target, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDir(target.getParent());
            count.incrementAndGet();
            bytes.addAndGet(size);
        }
    }

    /** Marks an existing blob as wanted now (a mount, a manifest referring to it); false if it is gone. */
    public boolean touch(BlobDigest d) {
        synchronized (lock(d)) {
            return touch(path(d));
        }
    }

    private static boolean touch(Path p) {
        try {
            Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes blob {@code d} unless it was wanted at or after {@code keepNewerThanMillis}, running {@code unlink} (the
     * repositories' links to it) first; returns the bytes freed, or -1 when it was kept or absent.
     */
    public long deleteIfOlder(BlobDigest d, long keepNewerThanMillis, OnDelete unlink) throws IOException {
        Path p = path(d);
        synchronized (lock(d)) {
            try {
                if (Files.getLastModifiedTime(p).toMillis() >= keepNewerThanMillis) return -1;
                long size = Files.size(p);
                unlink.run(d); // under the blob's lock: a commit of the same blob waits, then links it again
                Files.delete(p);
                count.decrementAndGet();
                bytes.addAndGet(-size);
                return size;
            } catch (NoSuchFileException e) {
                return -1;
            }
        }
    }

    /** What goes with a deleted blob. */
    @FunctionalInterface
    public interface OnDelete {
        void run(BlobDigest d) throws IOException;
    }

    /** Calls {@code action} with every stored blob and its size. */
    public void forEach(BiConsumer<BlobDigest, Long> action) throws IOException {
        for (String alg : new String[] {"sha256", "sha512"}) {
            Path dir = blobs.resolve(alg);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    BlobDigest d;
                    try {
                        d = new BlobDigest(alg, p.getFileName().toString());
                    } catch (RegistryError e) {
                        continue;
                    }
                    try {
                        action.accept(d, Files.size(p));
                    } catch (NoSuchFileException e) {
                        // deleted meanwhile
                    }
                }
            }
        }
    }

    private Object lock(BlobDigest d) { return locks[Math.floorMod(d.hex().hashCode(), locks.length)]; }

    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be synced; the rename itself is atomic
        }
    }
}
