package io.berth.engine.distribution;

import io.berth.api.JsonMessage;
import io.berth.engine.service.ProgressSink;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reports the bytes read from a blob as Docker's progress reader does ({@code pkg/progress/progressreader.go}): every
 * {@code min(1% of the size, 512 KiB)}, at most one message per 100 ms, and always when the last byte has been read.
 */
final class TransferProgress extends FilterInputStream {
    private static final long MAX_STEP = 512 * 1024;
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;

    private final long total;
    private final long step;
    private final String id;
    private final String action;
    private final ProgressSink sink;
    private long current;
    private long lastUpdate;
    private long lastSent = -1;
    private long lastSentAt = System.nanoTime() - MIN_INTERVAL_NANOS;

    TransferProgress(InputStream in, long total, String id, String action, ProgressSink sink) {
        super(in);
        this.total = total;
        this.step = total > 0 ? Math.min(MAX_STEP, total / 100) : MAX_STEP;
        this.id = id;
        this.action = action;
        this.sink = sink;
    }

    @Override public int read() throws IOException {
        int b = super.read();
        advance(b < 0 ? -1 : 1);
        return b;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        advance(n);
        return n;
    }

    private void advance(int n) {
        if (n < 0) {
            if (lastSent != current) send();
            return;
        }
        current += n;
        if (current - lastUpdate > step) {
            lastUpdate = current;
            if (current == total || System.nanoTime() - lastSentAt >= MIN_INTERVAL_NANOS) send();
        }
    }

    private void send() {
        lastSent = current;
        lastSentAt = System.nanoTime();
        sink.send(JsonMessage.progressBar(id, action, current, total));
    }
}
