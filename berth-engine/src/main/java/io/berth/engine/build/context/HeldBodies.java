package io.berth.engine.build.context;

import io.berth.engine.sys.Sys;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The bodies of an unpacked context's regular files that were kept in memory ({@link BodyPool}) instead of written: a
 * build whose steps are all cache hits then never writes them. Such a file is on disk with its size, mode, owner and
 * mtime (its hash was taken as it went by), but its content is written only by {@link #write} or {@link #writeAll},
 * which whatever reads the file calls first. The bodies lie one after the other in the pool's chunks, except those
 * equal to a stored copy of an earlier build's ({@link #holdStored}), which are that copy. Thread-safe.
 */
final class HeldBodies implements AutoCloseable {
    /** A body in the pool's chunks from {@code offset}, or, with a {@code source}, that file's content. */
    private record Held(Path path, long offset, long size, int mode, Instant mtime, FileChannel source) {}

    private final Sys sys;
    private final BodyPool pool;
    private final List<byte[]> chunks = new ArrayList<>();
    private final NavigableMap<String, Held> held = new TreeMap<>();
    private final NavigableMap<String, Held> all = new TreeMap<>(); // in the pool, written or not
    private final List<FileChannel> sources = new ArrayList<>();
    private long length;
    private long reserved;
    private long written;
    private boolean closed;

    HeldBodies(Sys sys, BodyPool pool) {
        this.sys = sys;
        this.pool = pool;
    }

    /** Makes room for a body of {@code size} bytes; false when the pool is full (the file is then written at once). */
    synchronized boolean reserve(long size) {
        if (pool == null || closed || !pool.reserve(size)) return false;
        reserved += size;
        return true;
    }

    /** Receives each piece of a body as it is read into memory (the piece stays as it is until {@link #close()}). */
    interface Pieces {
        void accept(byte[] b, int off, int len);
    }

    /**
     * Reads a reserved body of exactly {@code size} bytes from {@code in} into memory, handing each piece to
     * {@code pieces} on the way; returns where it starts. A body that ends early is a truncated archive.
     */
    synchronized long append(InputStream in, long size, Pieces pieces) throws IOException {
        long start = length;
        long left = size;
        while (left > 0) {
            int at = (int) (length % BodyPool.CHUNK);
            if (at == 0 && length / BodyPool.CHUNK == chunks.size()) chunks.add(pool.take());
            byte[] chunk = chunks.get((int) (length / BodyPool.CHUNK));
            int n = in.readNBytes(chunk, at, (int) Math.min(left, chunk.length - at));
            if (n == 0) throw new EOFException("the archive ended inside a file");
            pieces.accept(chunk, at, n);
            length += n;
            left -= n;
        }
        return start;
    }

    /**
     * Makes the new file {@code path} ({@code rel} below the context root) for the body appended at {@code offset}: it
     * gets its size now (its last byte is written) so that its metadata is final, its content later. {@code mode} and
     * {@code mtime} are what the caller then gives it. {@code inPlace}: the file is there already (an earlier
     * context's, {@link ContextDirs}) and only gets the size; what it holds is written over with the body later.
     */
    synchronized void hold(String rel, Path path, long offset, long size, int mode, Instant mtime, boolean inPlace)
            throws IOException {
        make(path, size, inPlace);
        Held h = new Held(path, offset, size, mode, mtime, null);
        held.put(rel, h);
        all.put(rel, h);
    }

    /**
     * Makes {@code path} as {@link #hold} does, for a body equal to the content of {@code source} (a stored copy, open:
     * it stays readable until {@link #close()}, which closes it).
     */
    synchronized void holdStored(String rel, Path path, FileChannel source, long size, int mode, Instant mtime,
                                 boolean inPlace) throws IOException {
        try {
            if (closed) throw new IllegalStateException("the context is closed");
            sources.add(source);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        make(path, size, inPlace);
        held.put(rel, new Held(path, 0, size, mode, mtime, source));
    }

    /** Makes the file with its size (its last byte written), or gives an existing one ({@code inPlace}) that size. */
    private void make(Path path, long size, boolean inPlace) throws IOException {
        StandardOpenOption how = inPlace ? StandardOpenOption.WRITE : StandardOpenOption.CREATE_NEW;
        try (FileChannel ch = FileChannel.open(path, how, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            if (inPlace && ch.size() > size) ch.truncate(size);
            if (!inPlace || ch.size() < size) ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    /** Drops what is held for {@code rel} and everything below it (the extractor removed them). */
    synchronized void forget(String rel) {
        for (NavigableMap<String, Held> m : List.of(held, all)) {
            m.remove(rel);
            m.subMap(rel + "/", rel + "0").clear(); // '0' follows '/': exactly the names below rel
        }
    }

    /**
     * Stores in {@code seen} each body in the pool (written or not) with the hash {@code hashes} recorded for its file, so that the
     * next build receiving it compares instead of hashing. Before {@link #close()}, which gives the memory back.
     */
    synchronized void remember(ExtractedHashes hashes, SeenFiles seen) throws IOException {
        for (var e : all.entrySet()) {
            Held h = e.getValue();
            ExtractedHashes.Known k = hashes.get(e.getKey());
            if (k == null || k.size() != h.size) continue;
            seen.remember(new SeenFiles.Key(e.getKey(), k.mode(), k.uid(), k.gid(), k.size()), k.hex(),
                    out -> writeRange(out, h.offset, h.size, 0));
        }
    }

    /** Writes the body of {@code rel} if it is still held. */
    synchronized void write(String rel) throws IOException {
        Held h = held.remove(rel);
        if (h != null) writeFile(h);
    }

    /** Writes every body still held: the files are then complete on disk. */
    synchronized void writeAll() throws IOException {
        while (!held.isEmpty()) writeFile(held.pollFirstEntry().getValue());
    }

    private void writeFile(Held h) throws IOException {
        try {
            writeBody(h);
        } catch (AccessDeniedException e) { // not root and a read-only mode: ours to change for a moment
            sys.chmod(h.path, (h.mode | 0200) & 07777);
            writeBody(h);
            sys.chmod(h.path, h.mode & 07777);
        }
        sys.lutimes(h.path, h.mtime, h.mtime);
    }

    private void writeBody(Held h) throws IOException {
        try (FileChannel ch = FileChannel.open(h.path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            if (h.source == null) {
                writeRange(ch, h.offset, h.size, 0);
            } else {
                long done = 0;
                while (done < h.size) {
                    long n = h.source.transferTo(done, h.size - done, ch);
                    if (n <= 0) throw new EOFException("the stored copy of " + h.path.getFileName() + " is short");
                    done += n;
                }
            }
        }
        written += h.size;
    }

    /** The bytes of held bodies written to their files so far. */
    synchronized long written() { return written; }

    /** Writes {@code size} bytes of the bodies from {@code offset} to the file at {@code position}. */
    private void writeRange(FileChannel ch, long offset, long size, long position) throws IOException {
        long done = 0;
        while (done < size) {
            long at = offset + done;
            byte[] chunk = chunks.get((int) (at / BodyPool.CHUNK));
            int in = (int) (at % BodyPool.CHUNK);
            ByteBuffer b = ByteBuffer.wrap(chunk, in, (int) Math.min(size - done, chunk.length - in));
            while (b.hasRemaining()) done += ch.write(b, position + done);
        }
    }

    /** Gives the memory back; what is still held is not written (the context is going away). */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        held.clear();
        all.clear();
        for (byte[] c : chunks) pool.give(c);
        chunks.clear();
        for (FileChannel s : sources) {
            try {
                s.close();
            } catch (IOException ignored) {
                // opened for reading: nothing to lose
            }
        }
        sources.clear();
        if (reserved > 0) pool.unreserve(reserved);
        reserved = 0;
    }
}
