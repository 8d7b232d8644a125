package io.berth.engine.build.context;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory in which unpacked build contexts hold file bodies instead of writing them ({@link HeldBodies}), shared by
 * the daemon's builds: at most {@code capacity} bytes held at once (a context that does not fit writes the rest of its
 * files at once), in {@link #CHUNK}-sized arrays that are reused, up to {@code idle} bytes of them kept between builds.
 */
public final class BodyPool {
    /** The size of each array. */
    static final int CHUNK = 1 << 20;

    private final long capacity;
    private final int idleChunks;
    private final AtomicLong reserved = new AtomicLong();
    private final ConcurrentLinkedDeque<byte[]> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger freeCount = new AtomicInteger();

    public BodyPool(long capacity, long idle) {
        this.capacity = capacity;
        this.idleChunks = (int) Math.min(Integer.MAX_VALUE, idle / CHUNK);
    }

    /** The daemon's pool: 256 MiB (at most a quarter of the heap), 64 MiB of it kept between builds. */
    public static BodyPool forDaemon() {
        long cap = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4);
        return new BodyPool(cap, Math.min(64L << 20, cap));
    }

    /** Takes {@code bytes} of the capacity; false (nothing taken) when that would go beyond it. */
    boolean reserve(long bytes) {
        while (true) {
            long now = reserved.get();
            if (now + bytes > capacity) return false;
            if (reserved.compareAndSet(now, now + bytes)) return true;
        }
    }

    /** Gives back what {@link #reserve} took. */
    void unreserve(long bytes) { reserved.addAndGet(-bytes); }

    /** A chunk (its content is whatever the last user left). */
    byte[] take() {
        byte[] c = free.poll();
        if (c == null) return new byte[CHUNK];
        freeCount.decrementAndGet();
        return c;
    }

    /** Returns a chunk: kept for the next build while fewer than the idle limit are, else left to the collector. */
    void give(byte[] chunk) {
        if (freeCount.incrementAndGet() <= idleChunks) {
            free.push(chunk);
        } else {
            freeCount.decrementAndGet();
        }
    }
}
