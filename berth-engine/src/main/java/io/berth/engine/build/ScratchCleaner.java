package io.berth.engine.build;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what finished builds leave in the scratch directory (an unpacked context can be large) on a virtual thread of
 * its own, so that no client waits for it: a build's response ends while its context is still being removed.
 * {@link #close()} (the daemon stopping) waits for what is queued; what a killed daemon did not get to, the next
 * {@link Builder} removes at start.
 */
final class ScratchCleaner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScratchCleaner.class);

    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("berth-build-cleanup").factory());

    /** Runs {@code delete} after the deletions queued before it; a failure is logged (no client is left to tell). */
    void later(Runnable delete) {
        thread.execute(() -> {
            try {
                delete.run();
            } catch (RuntimeException e) {
                LOG.warn("cannot remove a build's scratch files: {}", e.toString());
            }
        });
    }

    /** Waits for the queued deletions. */
    @Override public void close() { thread.close(); }
}
