package io.berth.engine.distribution;

import io.berth.api.JsonMessage;
import io.berth.engine.service.ProgressSink;
import java.util.function.LongSupplier;

/**
 * Byte progress of one layer as moby's {@code progress.Reader} reports it: an update after every
 * {@code min(1% of the size, 512 KiB)} bytes, at most one per 100 ms, and always at 100% and at the end.
 */
final class ProgressMeter {
    private static final long EVERY = 512 * 1024;
    private static final long INTERVAL_NANOS = 100_000_000L;

    private final ProgressSink sink;
    private final String id;
    private final String action;
    private final long total;
    private final long step;
    private final LongSupplier nanoClock;
    private long current;
    private long lastUpdate;
    private long lastSent = Long.MIN_VALUE;

    ProgressMeter(ProgressSink sink, String id, String action, long total, long start, LongSupplier nanoClock) {
        this.sink = sink;
        this.id = id;
        this.action = action;
        this.total = total;
        this.step = total > 0 ? Math.min(EVERY, (long) (0.01 * total)) : EVERY;
        this.nanoClock = nanoClock;
        this.current = start;
        this.lastUpdate = start;
    }

    /** Counts {@code n} more bytes. */
    void advance(long n) {
        current += n;
        if (current - lastUpdate > step) {
            send(false);
            lastUpdate = current;
        }
    }

    /** The stream ended: always reported. */
    void end() { send(true); }

    private void send(boolean last) {
        if (!last && current != total) {
            long now = nanoClock.getAsLong();
            if (lastSent != Long.MIN_VALUE && now - lastSent < INTERVAL_NANOS) return; // rate limit: one per 100 ms
            lastSent = now;
        }
        sink.send(JsonMessage.progressBar(id, action, current, total));
    }
}
