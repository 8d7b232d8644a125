package io.berth.engine.build.context;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@link SourceHash} entry hash of one regular file of a context, fed its content piece by piece. With a
 * {@link SeenFiles.Candidate} (a stored file with the same header), the pieces are compared with the stored content
 * and, while they are equal, not hashed: if the whole content is equal, the hash is the candidate's. At the first
 * difference (or if the stored file cannot be read) it falls back to hashing, from the start: the pieces compared so
 * far are kept by reference (they must not change until {@link #hex()}, as {@link HeldBodies}' pool chunks do not).
 * Used by one thread at a time.
 */
final class EntryDigest {
    private record Piece(byte[] b, int off, int len) {}

    private final SeenFiles.Key key;
    private SeenFiles.Candidate candidate;
    private MessageDigest md;
    private List<Piece> compared;
    private FileChannel stored;
    private final ByteBuffer buffer;
    private long position;

    private EntryDigest(SeenFiles.Key key, SeenFiles.Candidate candidate, ByteBuffer buffer) {
        this.key = key;
        this.candidate = candidate;
        this.buffer = buffer;
        if (candidate == null) md = SourceHash.regularFile(key.rel(), key.mode(), key.uid(), key.gid(), key.size());
        else compared = new ArrayList<>();
    }

    /** Hashes the content (no stored file to compare with). */
    static EntryDigest hashing(SeenFiles.Key key) { return new EntryDigest(key, null, null); }

    /**
     * Compares the content with {@code candidate}'s while it is equal (null: hashes it), reading the stored file into
     * {@code buffer} (a direct one, which digests used one after the other may share).
     */
    static EntryDigest comparing(SeenFiles.Key key, SeenFiles.Candidate candidate, ByteBuffer buffer) {
        return new EntryDigest(key, candidate, buffer);
    }

    /** The header fields hashed with the content. */
    SeenFiles.Key key() { return key; }

    /** Takes the next {@code len} bytes of the content. */
    void update(byte[] b, int off, int len) {
        if (candidate != null && !sameAsStored(b, off, len)) hashFromStart();
        if (candidate != null) {
            compared.add(new Piece(b, off, len));
            position += len;
        } else {
            md.update(b, off, len);
        }
    }

    /** The entry hash in hex, once all the content was given. */
    String hex() {
        if (candidate != null && position != key.size()) hashFromStart();
        closeStored();
        if (candidate != null) return candidate.hex();
        return HexFormat.of().formatHex(md.digest());
    }

    private boolean sameAsStored(byte[] b, int off, int len) {
        try {
            if (stored == null) {
                stored = FileChannel.open(candidate.content(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            }
            int done = 0;
            while (done < len) {
                int n = Math.min(len - done, buffer.capacity());
                buffer.clear().limit(n);
                while (buffer.hasRemaining()) {
                    if (stored.read(buffer, position + done + buffer.position()) < 0) return false; // shorter
                }
                MemorySegment have = MemorySegment.ofArray(b).asSlice(off + done, n);
                if (have.mismatch(MemorySegment.ofBuffer(buffer.flip())) >= 0) return false;
                done += n;
            }
            return true;
        } catch (IOException e) {
            return false; // gone (evicted) or unreadable: hash instead
        }
    }

    private void hashFromStart() {
        closeStored();
        candidate = null;
        md = SourceHash.regularFile(key.rel(), key.mode(), key.uid(), key.gid(), key.size());
        for (Piece p : compared) md.update(p.b, p.off, p.len);
        compared = null;
    }

    private void closeStored() {
        if (stored == null) return;
        try {
            stored.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
        stored = null;
    }
}
