package io.berth.engine.build.context;

import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Directories of closed build contexts, kept for the next context to be unpacked into: a context like the last one
 * then creates and deletes no file (its files are rewritten in place, or left as they are while their bodies are
 * held), where unpacking into a new directory made ext4 allocate an inode per file right after the last build deleted
 * as many, a third of an all-cache rebuild's CPU ({@code ext4_create} → {@code recently_deleted}). At most
 * {@code max} are kept, each holding at most {@link #MAX_WRITTEN} bytes of written content; they live in the build
 * scratch directory, emptied when the daemon starts. Thread-safe.
 */
public final class ContextDirs {
    /** A context that wrote more than this to disk is deleted rather than kept. */
    static final long MAX_WRITTEN = 256L << 20;

    private final int max;
    private final ArrayDeque<Path> idle = new ArrayDeque<>();

    public ContextDirs(int max) { this.max = max; }

    /** A kept directory (with its {@code root} inside) to unpack into, or null. */
    synchronized Path take() { return idle.pollFirst(); }

    /** Keeps {@code dir} for a later context; false (the caller deletes it) when {@code max} are kept already. */
    synchronized boolean give(Path dir) {
        if (idle.size() >= max) return false;
        idle.addFirst(dir);
        return true;
    }
}
