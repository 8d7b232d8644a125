package io.berth.engine.build.context;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;

/**
 * Reads the body of a context file as it arrives and compares it with the copy of it an earlier build received
 * ({@link SeenFiles.Candidate}), mapped into memory: a file that is the same is neither copied nor hashed (its entry
 * hash is the candidate's; its content, if a step needs it, is the stored copy's), so an all-cache rebuild's context
 * costs one pass over each byte. At the first difference the body is handed back whole, to be held or written and
 * hashed as a new one: the part already compared is the stored copy's (equal up to there), followed by what is still
 * unread.
 */
final class StoredCompare {
    /** What comparing found. */
    sealed interface Outcome {}

    /**
     * The body equals the stored copy, which {@code stored} has open (a copy evicted meanwhile stays readable through
     * it); the caller closes it.
     */
    record Same(FileChannel stored) implements Outcome {}

    /** The body differs (or the stored copy could not be read): {@code body} is the whole of it, from its first byte. */
    record Different(InputStream body) implements Outcome {}

    private final byte[] buffer;

    /** Reads the body in pieces of up to {@code buffer}'s length into it. */
    StoredCompare(byte[] buffer) { this.buffer = buffer; }

    /** Reads and compares the {@code size} bytes of {@code body} with {@code candidate}'s content. */
    Outcome compare(InputStream body, long size, SeenFiles.Candidate candidate) throws IOException {
        FileChannel stored;
        try {
            stored = FileChannel.open(candidate.content(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return new Different(body); // evicted (or unreadable): nothing read yet
        }
        boolean same = false;
        try (Arena arena = Arena.ofConfined()) {
            if (stored.size() != size) return new Different(body);
            MemorySegment copy = stored.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long at = 0;
            while (at < size) {
                int n = body.readNBytes(buffer, 0, (int) Math.min(buffer.length, size - at));
                if (n == 0) throw new EOFException("the archive ended inside a file");
                if (MemorySegment.ofArray(buffer).asSlice(0, n).mismatch(copy.asSlice(at, n)) >= 0) {
                    byte[] equal = copy.asSlice(0, at).toArray(ValueLayout.JAVA_BYTE);
                    byte[] piece = java.util.Arrays.copyOf(buffer, n);
                    return new Different(new SequenceInputStream(Collections.enumeration(List.of(
                            new ByteArrayInputStream(equal), new ByteArrayInputStream(piece), body))));
                }
                at += n;
            }
            same = true;
            return new Same(stored);
        } finally {
            if (!same) stored.close();
        }
    }
}
