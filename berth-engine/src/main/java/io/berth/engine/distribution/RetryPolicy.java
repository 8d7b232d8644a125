package io.berth.engine.distribution;

import io.berth.api.JsonMessage;
import io.berth.engine.service.ProgressSink;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * moby's download retries ({@code xfer/download.go}): after the n-th transient failure (up to {@code maxRetries})
 * wait {@code 5·n} ticks of {@code tick} (one second in the daemon), counting down "Retrying in N seconds".
 */
record RetryPolicy(int maxRetries, Duration tick) {
    static final RetryPolicy DOCKER = new RetryPolicy(5, Duration.ofSeconds(1));

    /** Whether a {@code retries}-th failure may be retried. */
    boolean allows(int retries) { return retries <= maxRetries; }

    /** Counts down before the {@code retries}-th retry, reporting each second on {@code id}. */
    void countdown(int retries, String id, ProgressSink progress) throws InterruptedIOException {
        for (int delay = retries * 5; delay > 0; delay--) {
            progress.send(JsonMessage.update(id, "Retrying in " + delay + " second" + (delay == 1 ? "" : "s")));
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("pull cancelled while waiting to retry");
            }
        }
    }
}
