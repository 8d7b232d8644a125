package io.berth.engine.build.context;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes the bodies a {@link ContextExtractor} holds in memory on a thread of its own, so that hashing (the costliest
 * part of unpacking) overlaps reading the tar: the reader hands over each piece of a body as it arrives and goes on
 * reading. Every change to the {@link ExtractedHashes} goes through the same queue, so they happen in the tar's order.
 * {@link #finish()} waits until all is hashed and recorded; {@link #close()} stops the thread.
 */
final class HashQueue implements AutoCloseable {
    private final ExtractedHashes hashes;
    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("berth-context-hash").factory());
    private Future<?> last;

    HashQueue(ExtractedHashes hashes) { this.hashes = hashes; }

    /**
     * Feeds {@code len} bytes of {@code b} from {@code off} to {@code digest}; they must not change until the context
     * is closed (a comparing digest may go back to them).
     */
    void update(EntryDigest digest, byte[] b, int off, int len) {
        last = thread.submit(() -> digest.update(b, off, len));
    }

    /** Records the hash of {@code digest}'s file once everything queued before is fed to it. */
    void put(EntryDigest digest) {
        last = thread.submit(() -> {
            SeenFiles.Key k = digest.key();
            hashes.put(k.rel(), k.mode(), k.uid(), k.gid(), k.size(), digest.hex());
        });
    }

    /** Forgets {@code rel} and everything below it, after what is queued. */
    void forget(String rel) {
        last = thread.submit(() -> hashes.forget(rel));
    }

    /** Waits until everything queued is done. */
    void finish() throws IOException {
        try {
            if (last != null) last.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing the build context");
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing the build context failed", e.getCause());
        }
    }

    /** Stops the thread, dropping what is still queued (after {@link #finish()}, nothing is). */
    @Override public void close() { thread.shutdownNow(); }
}
